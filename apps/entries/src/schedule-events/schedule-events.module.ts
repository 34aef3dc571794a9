import { Module } from '@nestjs/common';
import { ScheduleFollower } from '@podium/schedule-follower';
import { RulesModule } from '../rules/rules.module';
import { ScheduleEventsController } from './schedule-events.controller';
import { ScheduleEventsService } from './schedule-events.service';

/** The competition events followed from the schedules service (never typed in here). */
@Module({
  imports: [RulesModule],
  controllers: [ScheduleEventsController],
  providers: [ScheduleFollower, ScheduleEventsService],
})
export class ScheduleEventsModule {}
