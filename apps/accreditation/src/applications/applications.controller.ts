import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { APPLICANT_ROLES, OC_ROLES, SECURITY_ROLES } from '../app/config';
import {
  type ApplicationSubmission,
  applicationSubmissionSchema,
  type ApplicationQuery,
  applicationQuerySchema,
  type TransitionInput,
  transitionInputSchema,
  type VettingInput,
  vettingInputSchema,
} from './applications.dto';
import { ApplicationsService } from './applications.service';
import { applicationPageSchema, applicationViewSchema, type ApplicationViewOut, applicationWithPersonalDataSchema } from './applications.views';

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @Roles(...APPLICANT_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiOperation({
    summary: 'Apply for a person (a Responsible Organisation, within its quota of the category)',
    description:
      'Over the quota: 409 quota-exceeded, saying by how much (quota, used, over). An organisation officer applies only for its own organisation (403). passportNumber and photoReference are stored encrypted.',
  })
  @ApiZodResponse(applicationWithPersonalDataSchema, { status: 201 })
  submit(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(applicationSubmissionSchema) body: ApplicationSubmission,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof applicationWithPersonalDataSchema>> {
    return this.applications.submit(edition, body, principal);
  }

  @Get()
  @Roles(...APPLICANT_ROLES, ...SECURITY_ROLES)
  @ApiOperation({ summary: "Applications (an organisation's officer: its own only), by name; paginated (limit, cursor -> nextCursor)" })
  @ApiZodResponse(applicationPageSchema)
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(applicationQuerySchema) q: ApplicationQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof applicationPageSchema>> {
    return this.applications.list(edition, q, principal);
  }

  @Get(':id')
  @Roles(...APPLICANT_ROLES, ...SECURITY_ROLES)
  @ApiOperation({ summary: "One application (404 for another organisation's), with its passport number and photo reference; its vetting only to the security roles" })
  @ApiZodResponse(applicationWithPersonalDataSchema)
  get(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof applicationWithPersonalDataSchema>> {
    return this.applications.get(edition, id, principal);
  }

  @Get(':id/history')
  @Roles(...APPLICANT_ROLES, ...SECURITY_ROLES)
  @ApiOperation({ summary: 'Every change of the application and its card: who, when, why' })
  history(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.applications.history(edition, id, principal);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Move the application: to vetting, approved (needs the vetting cleared: 409 vetting-not-cleared) or rejected (gives the quota place back), with a reason' })
  @ApiZodResponse(applicationViewSchema)
  transition(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(transitionInputSchema) body: TransitionInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApplicationViewOut> {
    return this.applications.transition(edition, id, body, principal);
  }

  @Put(':id/vetting')
  @Roles(...SECURITY_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Record the security vetting result (cleared / not-cleared) of an application in vetting' })
  @ApiZodResponse(applicationViewSchema)
  vetting(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(vettingInputSchema) body: VettingInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApplicationViewOut> {
    return this.applications.recordVetting(edition, id, body, principal);
  }
}
