import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { entriesStream, schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';
import { ScheduleFollower, scheduleEventsConsumer } from '@podium/schedule-follower';
import { AthletesController } from '../athletes/athletes.controller';
import { AthletesService } from '../athletes/athletes.service';
import { Clock } from '../common/clock';
import { PrismaService } from '../database/prisma.service';
import { EntriesController } from '../entries/entries.controller';
import { EntriesService } from '../entries/entries.service';
import { EventsController } from '../events/events.controller';
import { EventsService, SCHEDULE_EVENTS_DURABLE } from '../events/events.service';
import { ImportsController } from '../imports/imports.controller';
import { ImportsService } from '../imports/imports.service';
import { EntriesEvents } from '../publishing/entries-events';
import { QuotasController } from '../quotas/quotas.controller';
import { QuotasService } from '../quotas/quotas.service';
import { ReplacementsController } from '../replacements/replacements.controller';
import { ReplacementsService } from '../replacements/replacements.service';
import { RulesController } from '../rules/rules.controller';
import { RulesService } from '../rules/rules.service';
import { ENTRIES_DEFAULTS, entriesConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: entriesConfig, defaults: ENTRIES_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({
      // SCHEDULES is declared by the schedules service too (same definition, idempotent): consumed here.
      streams: [entriesStream, schedulesStream],
      consumers: [scheduleEventsConsumer(SCHEDULE_EVENTS_DURABLE)],
    }),
    OutboxModule.forService(),
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
    ScheduleFollower,
    EventsService,
    AthletesService,
    EntriesService,
    QuotasService,
    ReplacementsService,
    ImportsService,
  ],
})
export class AppModule {}
