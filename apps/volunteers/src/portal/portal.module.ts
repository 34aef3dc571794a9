import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { CampaignModule } from '../campaign/campaign.module';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';

/**
 * The public portal (docs/volunteers-portal.md): GET/POST /apply, GET /status/{token} and the applicant's answers,
 * server-rendered in English and the host's language. Creates applications through ApplicationsService and moves
 * them through PipelineService: it has no store of its own.
 */
@Module({
  imports: [CampaignModule, ApplicationsModule, PipelineModule, PersonalDataModule],
  controllers: [PortalController],
  providers: [PortalService],
})
export class PortalModule {}
