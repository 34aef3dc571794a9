import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { accreditationStream, schedulesStream, volunteersStream, workforceStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { AssignmentsModule } from '../assignments/assignments.module';
import { PrismaService } from '../database/prisma.service';
import { eventConsumers } from '../events/events.consumer';
import { EventsModule } from '../events/events.module';
import { FlagsModule } from '../flags/flags.module';
import { MembersModule } from '../members/members.module';
import { OnTheDayModule } from '../on-the-day/on-the-day.module';
import { RosterModule } from '../roster/roster.module';
import { RuleSetsModule } from '../rulesets/rulesets.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { VenuesModule } from '../venues/venues.module';
import { WORKFORCE_DEFAULTS, workforceConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: workforceConfig, defaults: WORKFORCE_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    // VOLUNTEERS, ACCREDITATION and SCHEDULES are declared by their services too (same definitions, idempotent): their
    // events are consumed here (src/events), and a stream must exist before its consumer.
    NatsModule.forService({ streams: [workforceStream, volunteersStream, accreditationStream, schedulesStream], consumers: eventConsumers() }),
    OutboxModule.forService(),
    VenuesModule,
    MembersModule,
    ShiftsModule,
    RuleSetsModule,
    AssignmentsModule,
    OnTheDayModule,
    EventsModule,
    FlagsModule,
    RosterModule,
  ],
})
export class AppModule {}
