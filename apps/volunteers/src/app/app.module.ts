import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { volunteersStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { CampaignModule } from '../campaign/campaign.module';
import { SearchModule } from '../search/search.module';
import { ApplicationsModule } from '../applications/applications.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { PortalModule } from '../portal/portal.module';
import { VOLUNTEERS_DEFAULTS, volunteersConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: volunteersConfig, defaults: VOLUNTEERS_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({ streams: [volunteersStream] }),
    OutboxModule.forService(),
    CampaignModule,
    SearchModule,
    ApplicationsModule,
    PipelineModule,
    PersonalDataModule,
    PortalModule,
  ],
})
export class AppModule {}
