import { Module } from '@nestjs/common';
import { ScheduleFollower } from '@podium/schedule-follower';

import { KnownUnitsService } from './known-units.service';

/** The RSCs the schedule knows (follows the schedule). */
@Module({ providers: [ScheduleFollower, KnownUnitsService], exports: [KnownUnitsService] })
export class ScheduleModule {}
