import { Module } from '@nestjs/common';
import { UnitsCache } from '../units/units.cache';
import { ScheduleQueryService } from './schedule-query.service';
import { SchedulePublisher } from './schedule-publisher';
import { ScheduleController } from './schedule.controller';
import { ScheduleRepository } from './schedule.repository';

/** The published schedule: its reads (no token), its storage and what it publishes. */
@Module({
  controllers: [ScheduleController],
  providers: [UnitsCache, ScheduleRepository, ScheduleQueryService, SchedulePublisher],
  exports: [ScheduleRepository, ScheduleQueryService, SchedulePublisher],
})
export class ScheduleModule {}
