import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema, nocCodeSchema, rscSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES, WRITE_ROLES } from '../common/access';
import { QuotasService } from './quotas.service';

const placeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a quota place id');
const quotaQuerySchema = z.strictObject({
  event: rscSchema.optional(),
  noc: nocCodeSchema.optional(),
  status: z.enum(['ALLOCATED', 'DECLINED', 'CANCELLED']).optional(),
});
const declineSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).default({});

@ApiTags('quota places')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409, 422)
@Controller('v1/editions/:edition/quota-places')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Quota places, with the entry using each (NOC officials: their own)' })
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(quotaQuerySchema) q: z.infer<typeof quotaQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.quotas.list(edition, principal, q);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary: 'Decline a quota place: it passes to the next-ranked eligible candidate within the per-NOC maximum',
  })
  decline(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', placeIdSchema) id: string,
    @ZodBody(declineSchema) body: z.infer<typeof declineSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.quotas.decline(edition, id, body.reason, principal);
  }
}
