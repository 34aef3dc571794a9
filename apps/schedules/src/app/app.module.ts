import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PgPoolModule, PlatformModule } from '@podium/platform';
import { ChangesModule } from '../changes/changes.module';
import { DataPacksModule } from '../data-packs/data-packs.module';
import { PrismaService } from '../database/prisma.service';
import { ScheduleModule } from '../schedule/schedule.module';
import { SCHEDULES_DEFAULTS, schedulesConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: schedulesConfig, defaults: SCHEDULES_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    // The published units' reads (a revision check per request, named statements: units.store.ts) run on a plain pg
    // pool: there Prisma's per-query cost (query compiler and interpreter, ~0.4 ms of CPU per query) was most of the CPU
    // of a request.
    PgPoolModule.forRoot({ purpose: 'reads' }),
    NatsModule.forService({
      streams: [schedulesStream],
    }),
    OutboxModule.forService(),
    ScheduleModule,
    ChangesModule,
    DataPacksModule,
  ],
})
export class AppModule {}
