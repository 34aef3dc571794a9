import { Module } from '@nestjs/common';

import { CampaignController } from './campaign.controller';
import { CampaignService } from './campaign.service';

/** The edition's recruiting campaign: what the public form offers and accepts. */
@Module({
  controllers: [CampaignController],
  providers: [CampaignService],
  exports: [CampaignService],
})
export class CampaignModule {}
