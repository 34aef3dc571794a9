import { Module } from '@nestjs/common';
import { AuthModule, authOptionsFromEnv } from '@podium/auth';
import { resultsStreams, schedulesStream } from '@podium/contracts';
import { CONFIG, DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { DocumentsModule } from '../documents/documents.module';
import { IntakeModule } from '../intake/intake.module';
import { KNOWN_UNITS_DURABLE, UNIT_UPDATED } from '../schedule/known-units.service';
import { ScheduleModule } from '../schedule/schedule.module';
import { RESULTS_INGEST_DEFAULTS, resultsIngestConfig, type ResultsIngestConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: resultsIngestConfig, defaults: RESULTS_INGEST_DEFAULTS }),
    AuthModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: ResultsIngestConfig) =>
        authOptionsFromEnv({
          AUTH_MODE: config.AUTH_MODE,
          AUTH_JWKS_URL: config.AUTH_JWKS_URL,
          AUTH_PUBLIC_KEY: config.AUTH_PUBLIC_KEY,
          AUTH_DEV_SECRET: config.AUTH_DEV_SECRET,
          AUTH_ISSUER: config.AUTH_ISSUER,
          AUTH_AUDIENCE: config.AUTH_AUDIENCE,
          AUTH_ALGORITHMS: process.env['AUTH_ALGORITHMS'],
          NODE_ENV: process.env['NODE_ENV'],
        }),
    }),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: ResultsIngestConfig) => ({
        servers: config.NATS_URL,
        name: config.SERVICE_NAME,
        prefix: config.NATS_PREFIX,
        // SCHEDULES is declared by the schedules service too (same definition, idempotent): consumed here.
        streams: [...resultsStreams, schedulesStream],
        consumers: [{ key: UNIT_UPDATED, durable: KNOWN_UNITS_DURABLE, deliverPolicy: 'all' }],
      }),
    }),
    OutboxModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: ResultsIngestConfig) => ({ databaseUrl: config.DATABASE_URL, pollIntervalMs: 250 }),
    }),
    IntakeModule,
    DocumentsModule,
    ScheduleModule,
  ],
})
export class AppModule {}
