import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { MANAGER_ROLES, RECRUITER_ROLES } from '../app/config';
import { ApplicationsService } from './applications.service';
import { applicationDetailSchema } from './applications.view';
import { BULK_MAX_ROWS, type BulkInput, bulkInputSchema, bulkReport, bulkReportSchema } from './bulk.logic';

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post('bulk')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409, 413)
  @ApiOperation({
    summary: `Load up to ${BULK_MAX_ROWS} applications at once (an agency's or a partner's list); a report per row`,
    description:
      "Each row is checked as the portal's form is (the schema, the campaign's age rule, options and dates) and refused on its own: " +
      'invalid (with its field problems) or duplicate-application (the same person already applied, or an earlier row of the request). ' +
      'A created row answers its id and the applicant\'s private status token, shown only here. 409 campaign-closed when the campaign is closed or not set.',
  })
  @ApiZodResponse(bulkReportSchema)
  async bulk(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(bulkInputSchema) body: BulkInput, @CurrentPrincipal() principal: Principal) {
    return bulkReport(await this.applications.submitBatch(edition, body.applications, { via: 'bulk', by: principal.sub }));
  }

  @Get(':id')
  @Roles(...RECRUITER_ROLES)
  @ApiOperation({ summary: 'One application: its stage, what the applicant offers and why it was withdrawn (never their contact details nor date of birth)' })
  @ApiZodResponse(applicationDetailSchema)
  get(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string) {
    return this.applications.get(edition, id);
  }
}
