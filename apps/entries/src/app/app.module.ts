import { Module } from '@nestjs/common';
import { AuthModule, authOptionsFromEnv } from '@podium/auth';
import { entriesStream, schedulesStream } from '@podium/contracts';
import { CONFIG, DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';
import { AthletesController } from '../athletes/athletes.controller';
import { AthletesService } from '../athletes/athletes.service';
import { Clock } from '../common/clock';
import { PrismaService } from '../database/prisma.service';
import { EntriesController } from '../entries/entries.controller';
import { EntriesService } from '../entries/entries.service';
import { EventsController } from '../events/events.controller';
import { EVENT_UPDATED, EventsService, SCHEDULE_EVENTS_DURABLE } from '../events/events.service';
import { ImportsController } from '../imports/imports.controller';
import { ImportsService } from '../imports/imports.service';
import { EntriesEvents } from '../publishing/entries-events';
import { QuotasController } from '../quotas/quotas.controller';
import { QuotasService } from '../quotas/quotas.service';
import { ReplacementsController } from '../replacements/replacements.controller';
import { ReplacementsService } from '../replacements/replacements.service';
import { RulesController } from '../rules/rules.controller';
import { RulesService } from '../rules/rules.service';
import { ENTRIES_DEFAULTS, entriesConfig, type EntriesConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: entriesConfig, defaults: ENTRIES_DEFAULTS }),
    AuthModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: EntriesConfig) =>
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
      useFactory: (config: EntriesConfig) => ({
        servers: config.NATS_URL,
        name: config.SERVICE_NAME,
        prefix: config.NATS_PREFIX,
        // SCHEDULES is declared by the schedules service too (same definition, idempotent): consumed here.
        streams: [entriesStream, schedulesStream],
        consumers: [{ key: EVENT_UPDATED, durable: SCHEDULE_EVENTS_DURABLE, deliverPolicy: 'all' }],
      }),
    }),
    OutboxModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: EntriesConfig) => ({ databaseUrl: config.DATABASE_URL }),
    }),
  ],
  controllers: [
    RulesController,
    EventsController,
    AthletesController,
    EntriesController,
    QuotasController,
    ReplacementsController,
    ImportsController,
  ],
  providers: [
    Clock,
    EntriesEvents,
    RulesService,
    EventsService,
    AthletesService,
    EntriesService,
    QuotasService,
    ReplacementsService,
    ImportsService,
  ],
})
export class AppModule {}
