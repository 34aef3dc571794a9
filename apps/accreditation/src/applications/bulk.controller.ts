import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import type { z } from 'zod';

import { APPLICANT_ROLES } from '../app/config';
import { bulkReportSchema } from './applications.views';
import { type BulkInput, bulkInputSchema, BULK_MAX_ROWS, BulkApplicationsService } from './bulk.service';

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/applications/bulk')
export class BulkApplicationsController {
  constructor(private readonly bulk: BulkApplicationsService) {}

  @Post()
  @HttpCode(200)
  @Roles(...APPLICANT_ROLES)
  @ApiOperation({
    summary: `Apply for up to ${BULK_MAX_ROWS} people at once; a report per row`,
    description:
      'Each row is the body of a single submission (passportNumber and photoReference optional, stored encrypted) and is checked as one: invalid, forbidden (an organisation officer applies only for its own organisation), ' +
      'unknown-reference, quota-exceeded (with quota, used, over: rows over the quota are refused, the others accepted, in their order). ' +
      'Answers {accepted, refused, items: [{index, status: accepted, id} | {index, status: refused, reason, detail, ...}]}.',
  })
  @ApiZodResponse(bulkReportSchema)
  submit(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(bulkInputSchema) body: BulkInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof bulkReportSchema>> {
    return this.bulk.submit(edition, body, principal);
  }
}
