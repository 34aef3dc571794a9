import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { resultsStreams, schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PgPoolModule, PlatformModule } from '@podium/platform';
import { scheduleUnitsConsumer } from '@podium/schedule-follower';

import { PrismaService } from '../database/prisma.service';
import { DocumentsModule } from '../documents/documents.module';
import { IntakeModule } from '../intake/intake.module';
import { KNOWN_UNITS_DURABLE } from '../schedule/known-units.service';
import { ScheduleModule } from '../schedule/schedule.module';
import { RESULTS_INGEST_DEFAULTS, resultsIngestConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: resultsIngestConfig, defaults: RESULTS_INGEST_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    // The intake's hot path (one message = one short transaction of a few hand-written statements: intake.store.ts)
    // runs on a plain pg pool: there Prisma's per-query cost (query compiler, interactive transaction bookkeeping) was
    // about a third of the CPU spent per message (docs/performance.md#results-ingest).
    PgPoolModule.forRoot({ purpose: 'intake' }),
    NatsModule.forService({
      // SCHEDULES is declared by the schedules service too (same definition, idempotent): consumed here.
      streams: [...resultsStreams, schedulesStream],
      consumers: [scheduleUnitsConsumer(KNOWN_UNITS_DURABLE)],
    }),
    OutboxModule.forService({ pollIntervalMs: 250 }),
    IntakeModule,
    DocumentsModule,
    ScheduleModule,
  ],
})
export class AppModule {}
