import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { ProblemException } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { type CampaignInput, type CampaignView, campaignView } from './campaign.logic';

/** An edition's recruiting campaign (the form's rules and options). */
@Injectable()
export class CampaignService {
  constructor(private readonly prisma: PrismaService) {}

  async put(edition: string, input: CampaignInput, principal: Principal): Promise<CampaignView> {
    const data = { ...input, options: input.options, updatedBy: principal.sub, updatedAt: new Date() };
    const row = await this.prisma.campaign.upsert({ where: { edition }, create: { edition, ...data }, update: data });
    return campaignView(row);
  }

  /** The campaign, or 404 campaign-not-found. */
  async get(edition: string): Promise<CampaignView> {
    const row = await this.prisma.campaign.findUnique({ where: { edition } });
    if (!row) throw ProblemException.notFound(`No volunteer campaign for ${edition}`, 'campaign-not-found');
    return campaignView(row);
  }
}
