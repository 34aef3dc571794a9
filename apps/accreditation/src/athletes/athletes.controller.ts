import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { APPLICANT_ROLES } from '../app/config';
import { type AthleteApplicationInput, athleteApplicationSchema, type AthleteQuery, athleteQuerySchema } from './athletes.dto';
import { AthletesService } from './athletes.service';

@ApiTags('athletes')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/athletes')
export class AthletesController {
  constructor(private readonly athletes: AthletesService) {}

  @Get()
  @Roles(...APPLICANT_ROLES)
  @ApiOperation({
    summary: "entries' athletes to apply for (an NOC official: its own NOC's), by family name; paginated (limit, cursor -> nextCursor)",
    description: 'Kept from entries\' events (oms.entries.v1.athlete.{noc}.changed); applicationId when an application was made for the athlete.',
  })
  list(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(athleteQuerySchema) q: AthleteQuery, @CurrentPrincipal() principal: Principal) {
    return this.athletes.list(edition, q, principal);
  }

  @Post(':athleteId/application')
  @Roles(...APPLICANT_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiOperation({
    summary: "Apply for an athlete of entries: names, date of birth and NOC come from entries, never retyped",
    description:
      "201 the application (organisation: the athlete's NOC, within its quota of the category). Another NOC's athlete: 404. " +
      'Already applied for: 409 athlete-already-applied (applicationId). Over the quota: 409 quota-exceeded.',
  })
  apply(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('athleteId', z.uuid()) athleteId: string,
    @ZodBody(athleteApplicationSchema) body: AthleteApplicationInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.athletes.apply(edition, athleteId, body, principal);
  }
}
