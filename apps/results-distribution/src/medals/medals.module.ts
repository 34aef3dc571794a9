import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { MedalsController } from './medals.controller';
import { MedalsService } from './medals.service';

/** GET /v1/medals. */
@Module({
  imports: [StateModule],
  controllers: [MedalsController],
  providers: [MedalsService],
})
export class MedalsModule {}
