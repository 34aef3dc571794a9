import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { workforceStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { MembersModule } from '../members/members.module';
import { VenuesModule } from '../venues/venues.module';
import { WORKFORCE_DEFAULTS, workforceConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: workforceConfig, defaults: WORKFORCE_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({ streams: [workforceStream] }),
    OutboxModule.forService(),
    VenuesModule,
    MembersModule,
  ],
})
export class AppModule {}
