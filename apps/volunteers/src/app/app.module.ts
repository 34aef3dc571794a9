import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { volunteersStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { CampaignModule } from '../campaign/campaign.module';
import { VOLUNTEERS_DEFAULTS, volunteersConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: volunteersConfig, defaults: VOLUNTEERS_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({ streams: [volunteersStream] }),
    OutboxModule.forService(),
    CampaignModule,
  ],
})
export class AppModule {}
