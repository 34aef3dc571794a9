import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, erasureRequestSchema, rewrapRequestSchema, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { CONTACT_ROLES, PERSONAL_DATA_ROLES } from '../app/config';
import { PersonalDataService } from './personal-data.service';

@ApiTags('personal data')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller()
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get('v1/editions/:edition/applications/:id/personal-data')
  @Roles(...PERSONAL_DATA_ROLES)
  @ApiOperation({
    summary: 'GDPR export: everything held about the applicant, as JSON',
    description:
      'The application with its contact details, date of birth and nationality decrypted, its consent, its whole history, the interview slots booked, ' +
      'the offers made, the hand-over events published (and their messages still held in the outbox). oc-admin and data-protection-officer only; the read is recorded in the history.',
  })
  export(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.personalData.export(edition, id, principal);
  }

  @Post('v1/editions/:edition/applications/:id/erasure')
  @HttpCode(200)
  @Roles(...PERSONAL_DATA_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({
    summary: "GDPR erasure of the applicant's personal data, keeping an anonymised audit trail",
    description:
      'The application is withdrawn (a booked interview place freed; a confirmed volunteer\'s withdrawn event), the names become "[erased]", the sealed contact details, date of birth and nationality are deleted, ' +
      'the duplicate key and the status link are replaced (the person may apply again; the link leads nowhere), the history keeps who did what and when (its free-text reasons erased) and records the erasure, ' +
      'and oms.volunteers.v1.volunteer.{edition}.erased (ids only) tells workforce and accreditation to erase their copies. Again: 409 already-erased, no event.',
  })
  erase(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(erasureRequestSchema) body: z.infer<typeof erasureRequestSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.personalData.erase(edition, id, body.reason, principal);
  }

  @Get('v1/editions/:edition/applications/:id/contact')
  @Roles(...CONTACT_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({
    summary: "The applicant's contact details (email, phone), e.g. to call them about an interview",
    description: 'volunteer-contact only (recruiters and managers: 403). Each read is recorded in the history (read-contact: who, when). Erased: 409 application-erased.',
  })
  contact(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.personalData.contact(edition, id, principal);
  }

  @Post('v1/personal-data/rewrap')
  @HttpCode(200)
  @Roles('oc-admin')
  @ApiOperation({
    summary: 'Key rotation: re-wrap up to `limit` data keys wrapped by an older key-encryption key under the current one',
    description: 'Answers {current, rewrapped, remaining, unreadable, failed}; call again while rewrapped > 0 (docs/volunteers-core.md#key-rotation). oc-admin only.',
  })
  rewrap(@ZodBody(rewrapRequestSchema) body: z.infer<typeof rewrapRequestSchema>) {
    return this.personalData.rewrap(body.limit);
  }
}
