import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import type { z } from 'zod';
import { READ_ROLES, WRITE_ROLES } from '../common/access';
import { uuidSchema } from '../common/schemas';
import {
  type AthleteInput,
  athleteInputSchema,
  type AthletePatch,
  athletePatchSchema,
  athleteQuerySchema,
  performancesInputSchema,
} from './athletes.dto';
import { AthletesService } from './athletes.service';

@ApiTags('athletes')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409, 422)
@Controller('v1/editions/:edition/athletes')
export class AthletesController {
  constructor(private readonly athletes: AthletesService) {}

  @Post()
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: 'Register an athlete of an NOC (NOC officials: their own NOC)' })
  create(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(athleteInputSchema) body: AthleteInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.athletes.create(edition, body, principal);
  }

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Athletes (NOC officials see only their NOC)' })
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(athleteQuerySchema) q: z.infer<typeof athleteQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.athletes.list(edition, principal, q);
  }

  @Get(':id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: "One athlete with their marks (another NOC's athlete: 404)" })
  get(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.athletes.get(edition, id, principal);
  }

  @Patch(':id')
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: "Change an athlete's names, birth date or Para classification" })
  update(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @ZodBody(athletePatchSchema) body: AthletePatch,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.athletes.update(edition, id, body, principal);
  }

  @Post(':id/performances')
  @HttpCode(200)
  @Roles('oc-admin', 'noc-official', 'if-official')
  @ApiOperation({ summary: 'Add marks achieved by the athlete (for entry standards)' })
  addPerformances(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @ZodBody(performancesInputSchema) body: z.infer<typeof performancesInputSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.athletes.addPerformances(edition, id, body.performances, principal);
  }
}
