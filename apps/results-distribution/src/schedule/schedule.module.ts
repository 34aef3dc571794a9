import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

/** GET /v1/schedule. */
@Module({
  imports: [StateModule],
  controllers: [ScheduleController],
  providers: [ScheduleService],
})
export class ScheduleModule {}
