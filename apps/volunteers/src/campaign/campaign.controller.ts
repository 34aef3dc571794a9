import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';

import { MANAGER_ROLES, RECRUITER_ROLES } from '../app/config';
import { type CampaignInput, campaignInputSchema, campaignViewSchema } from './campaign.logic';
import { CampaignService } from './campaign.service';

@ApiTags('campaign')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/campaign')
export class CampaignController {
  constructor(private readonly campaigns: CampaignService) {}

  @Put()
  @Roles(...MANAGER_ROLES)
  @ApiOperation({ summary: "Set the edition's recruiting campaign: the age rule, the form's options, the dates, the privacy notice, open or closed" })
  @ApiZodResponse(campaignViewSchema)
  put(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(campaignInputSchema) body: CampaignInput, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.put(edition, body, principal);
  }

  @Get()
  @Roles(...RECRUITER_ROLES)
  @ApiOperation({ summary: "The edition's recruiting campaign" })
  @ApiZodResponse(campaignViewSchema)
  get(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.campaigns.get(edition);
  }
}
