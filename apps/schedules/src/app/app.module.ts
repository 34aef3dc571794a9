import { Module } from '@nestjs/common';
import { AuthModule, authOptionsFromEnv } from '@podium/auth';
import { schedulesStream } from '@podium/contracts';
import { CONFIG, DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';
import { ChangesController } from '../changes/changes.controller';
import { ChangesService } from '../changes/changes.service';
import { DataPacksController } from '../data-packs/data-packs.controller';
import { DataPacksService } from '../data-packs/data-packs.service';
import { PrismaService } from '../database/prisma.service';
import { ScheduleQueryService } from '../schedule/schedule-query.service';
import { ScheduleController } from '../schedule/schedule.controller';
import { ScheduleRepository } from '../schedule/schedule.repository';
import { ScheduleEvents } from '../schedule/schedule-events';
import { SCHEDULES_DEFAULTS, schedulesConfig, type SchedulesConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: schedulesConfig, defaults: SCHEDULES_DEFAULTS }),
    AuthModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: SchedulesConfig) =>
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
      useFactory: (config: SchedulesConfig) => ({
        servers: config.NATS_URL,
        name: config.SERVICE_NAME,
        user: config.NATS_USER,
        pass: config.NATS_PASSWORD,
        prefix: config.NATS_PREFIX,
        streams: [schedulesStream],
      }),
    }),
    OutboxModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: SchedulesConfig) => ({ databaseUrl: config.DATABASE_URL }),
    }),
  ],
  controllers: [ScheduleController, ChangesController, DataPacksController],
  providers: [ScheduleRepository, ScheduleQueryService, ScheduleEvents, ChangesService, DataPacksService],
})
export class AppModule {}
