import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { MANAGER_ROLES } from '../app/config';
import { type PlanRequest, planReportSchema, planRequestSchema } from './roster.view';
import { RosterService } from './roster.service';

@ApiTags('roster')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409)
@Controller('v1/editions/:edition/roster/plans')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  @Post()
  @Roles(...MANAGER_ROLES)
  @ApiOperation({
    summary: 'Roster the open shifts of a local date (and venue): a plan of unpublished roster assignments',
    description:
      'Every hard rule holds for every assignment written. A new plan of the same day is a re-plan: published assignments still valid ' +
      'are kept, unpublished roster assignments the plan does not keep are cancelled, manual ones are never touched. Answers the plan ' +
      'report: added, removed (with reasons), kept, unfilled places with their reasons, metrics. docs/workforce-roster.md.',
  })
  @ApiZodResponse(planReportSchema, { status: 201 })
  plan(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(planRequestSchema) body: PlanRequest, @CurrentPrincipal() principal: Principal) {
    return this.roster.plan(edition, body.localDate, body.venue, principal);
  }

  @Post(':planId/publish')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiOperation({ summary: "Publish a plan's assignments (announced to the members: a re-plan keeps them while valid); 409 plan-superseded" })
  @ApiZodResponse(z.object({ planId: z.uuid(), published: z.int() }))
  publish(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('planId', z.uuid()) planId: string, @CurrentPrincipal() principal: Principal) {
    return this.roster.publish(edition, planId, principal);
  }
}
