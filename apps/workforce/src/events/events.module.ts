import { Module } from '@nestjs/common';
import { ScheduleFollower } from '@podium/schedule-follower';

import { MembersModule } from '../members/members.module';
import { ReplacementsModule } from '../replacements/replacements.module';
import { CardReactions } from './cards.reactions';
import { ScheduleReactions } from './schedule.reactions';
import { VolunteerReactions } from './volunteers.reactions';

/**
 * The workforce service's reactions to other services' events (docs/workforce-events.md): volunteers handed over,
 * withdrawn and erased; accreditation cards and erased applications; the schedule's units and sessions. Its consumers
 * are declared in AppModule's NatsModule (eventConsumers()).
 */
@Module({
  imports: [MembersModule, ReplacementsModule],
  providers: [ScheduleFollower, VolunteerReactions, CardReactions, ScheduleReactions],
})
export class EventsModule {}
