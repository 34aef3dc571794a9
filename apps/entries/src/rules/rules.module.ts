import { Module } from '@nestjs/common';
import { PublishingModule } from '../publishing/publishing.module';
import { NocsController } from './nocs.controller';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';

/** The rules pack (quotas, standards, deadlines) and the NOCs it lists. */
@Module({
  imports: [PublishingModule],
  controllers: [RulesController, NocsController],
  providers: [RulesService],
  exports: [RulesService],
})
export class RulesModule {}
