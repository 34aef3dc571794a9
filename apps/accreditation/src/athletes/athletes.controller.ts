import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { APPLICANT_ROLES } from '../app/config';
import { type AthleteApplicationInput, athleteApplicationSchema, type AthleteQuery, athleteQuerySchema } from './athletes.dto';
import { applicationWithPersonalDataSchema } from '../applications/applications.views';
import { AthletesService } from './athletes.service';

/** An athlete of entries, as kept from entries' events. */
const athleteViewSchema = z.object({
  id: z.uuid(),
  ifId: z.string().nullable(),
  noc: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  gender: z.string(),
  birthDate: z.string(),
  events: z.array(z.string()),
  version: z.int(),
  applicationId: z.string().nullable().meta({ description: 'The application made for the athlete, if any' }),
});
const athletePageSchema = z.object({ items: z.array(athleteViewSchema), nextCursor: z.string().nullable() });

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
  @ApiZodResponse(athletePageSchema)
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(athleteQuerySchema) q: AthleteQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof athletePageSchema>> {
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
  @ApiZodResponse(applicationWithPersonalDataSchema, { status: 201 })
  apply(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('athleteId', z.uuid()) athleteId: string,
    @ZodBody(athleteApplicationSchema) body: AthleteApplicationInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof applicationWithPersonalDataSchema>> {
    return this.athletes.apply(edition, athleteId, body, principal);
  }
}
