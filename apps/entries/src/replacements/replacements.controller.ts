import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import type { z } from 'zod';
import { READ_ROLES, WRITE_ROLES } from '../common/access';
import { uuidSchema } from '../common/schemas';
import { decisionInputSchema, type ReplacementInput, replacementInputSchema, replacementQuerySchema } from './replacements.dto';
import { ReplacementsService } from './replacements.service';

@ApiTags('late athlete replacements')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409, 422)
@Controller('v1/editions/:edition')
export class ReplacementsController {
  constructor(private readonly replacements: ReplacementsService) {}

  @Post('entries/:id/replacements')
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary: 'Request a Late Athlete Replacement (after the Entry by Name deadline, with a reason code)',
    description: 'Checked against the rules at once; the organising committee then approves or rejects it.',
  })
  request(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @ZodBody(replacementInputSchema) body: ReplacementInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.replacements.request(edition, id, body, principal);
  }

  @Get('replacements')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Late Athlete Replacements (NOC officials: their own)' })
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(replacementQuerySchema) q: z.infer<typeof replacementQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.replacements.list(edition, principal, q.status);
  }

  @Get('replacements/:id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'One Late Athlete Replacement' })
  get(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.replacements.get(edition, id, principal);
  }

  @Post('replacements/:id/approve')
  @HttpCode(200)
  @Roles('oc-admin')
  @ApiOperation({ summary: 'Approve a Late Athlete Replacement (organising committee): the entry changes and is published' })
  approve(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @ZodBody(decisionInputSchema) body: z.infer<typeof decisionInputSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.replacements.approve(edition, id, body.note, principal);
  }

  @Post('replacements/:id/reject')
  @HttpCode(200)
  @Roles('oc-admin')
  @ApiOperation({ summary: 'Reject a Late Athlete Replacement (organising committee)' })
  reject(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @ZodBody(decisionInputSchema) body: z.infer<typeof decisionInputSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.replacements.reject(edition, id, body.note, principal);
  }
}
