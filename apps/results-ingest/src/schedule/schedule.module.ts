import { Module } from '@nestjs/common';

import { KnownUnitsService } from './known-units.service';

/** The RSCs the schedule knows (SCHEDULES stream consumer). */
@Module({ providers: [KnownUnitsService], exports: [KnownUnitsService] })
export class ScheduleModule {}
