import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { entriesStream, schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PgPoolModule, PlatformModule } from '@podium/platform';
import { scheduleEventsConsumer } from '@podium/schedule-follower';
import { AthletesModule } from '../athletes/athletes.module';
import { PrismaService } from '../database/prisma.service';
import { EntriesModule } from '../entries/entries.module';
import { ImportsModule } from '../imports/imports.module';
import { QuotasModule } from '../quotas/quotas.module';
import { ReplacementsModule } from '../replacements/replacements.module';
import { RulesModule } from '../rules/rules.module';
import { ScheduleEventsModule } from '../schedule-events/schedule-events.module';
import { SCHEDULE_EVENTS_DURABLE } from '../schedule-events/schedule-events.service';
import { ENTRIES_DEFAULTS, entriesConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: entriesConfig, defaults: ENTRIES_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    // The list reads (one named statement per list, built from its filters: */*.reads.ts) run on a plain pg pool: there
    // Prisma's per-query cost (query compiler and interpreter, ~0.5 ms of CPU per query, three queries for an entries
    // list) was most of their CPU; every write stays on Prisma, in its transactions. Generic plans: the lists'
    // conditions are equalities on indexed columns, served by the same plan whatever the values, and with OFFSET/LIMIT
    // parameters PostgreSQL would otherwise keep planning each execution anew (~0.7 ms, more than running the statement).
    PgPoolModule.forRoot({ purpose: 'reads', genericPlans: true }),
    NatsModule.forService({
      // SCHEDULES is declared by the schedules service too (same definition, idempotent): consumed here.
      streams: [entriesStream, schedulesStream],
      consumers: [scheduleEventsConsumer(SCHEDULE_EVENTS_DURABLE)],
    }),
    OutboxModule.forService(),
    RulesModule,
    ScheduleEventsModule,
    AthletesModule,
    EntriesModule,
    QuotasModule,
    ReplacementsModule,
    ImportsModule,
  ],
})
export class AppModule {}
