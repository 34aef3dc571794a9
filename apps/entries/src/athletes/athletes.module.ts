import { Module } from '@nestjs/common';
import { PublishingModule } from '../publishing/publishing.module';
import { RulesModule } from '../rules/rules.module';
import { AthletesController } from './athletes.controller';
import { AthletesService } from './athletes.service';

/** Athletes of the NOCs and their marks. */
@Module({
  imports: [RulesModule, PublishingModule],
  controllers: [AthletesController],
  providers: [AthletesService],
})
export class AthletesModule {}
