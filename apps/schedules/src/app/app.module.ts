import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';
import { ChangesController } from '../changes/changes.controller';
import { ChangesService } from '../changes/changes.service';
import { DataPacksController } from '../data-packs/data-packs.controller';
import { DataPacksService } from '../data-packs/data-packs.service';
import { PrismaService } from '../database/prisma.service';
import { ScheduleQueryService } from '../schedule/schedule-query.service';
import { ScheduleController } from '../schedule/schedule.controller';
import { ScheduleRepository } from '../schedule/schedule.repository';
import { ScheduleEvents } from '../schedule/schedule-events';
import { SCHEDULES_DEFAULTS, schedulesConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: schedulesConfig, defaults: SCHEDULES_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({
      streams: [schedulesStream],
    }),
    OutboxModule.forService(),
  ],
  controllers: [ScheduleController, ChangesController, DataPacksController],
  providers: [ScheduleRepository, ScheduleQueryService, ScheduleEvents, ChangesService, DataPacksService],
})
export class AppModule {}
