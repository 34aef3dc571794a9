import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';
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
