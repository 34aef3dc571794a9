import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, erasureRequestSchema, rewrapRequestSchema, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { PERSONAL_DATA_ROLES, ROLE } from '../app/config';
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
    summary: 'GDPR export: everything held about the person of an application, as JSON',
    description:
      'The application (passport number and photo reference decrypted), its history, its card(s), the ids of their credentials and their gate checks. The vetting result only to oc-admin (the security roles). oc-admin and data-protection-officer only.',
  })
  export(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.personalData.export(edition, id, principal);
  }

  @Post('v1/editions/:edition/applications/:id/erasure')
  @HttpCode(200)
  @Roles(...PERSONAL_DATA_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({
    summary: "GDPR erasure of the person's personal data, keeping an anonymised audit trail",
    description:
      'Names, date of birth, nationality and the vetting note become "[erased]", the encrypted passport number and photo reference are deleted, a card not yet revoked is revoked (revocation entry, event), the application is withdrawn, the history keeps who did what and when (its free-text reasons erased) and records the erasure, and the event oms.accreditation.v1.application.{edition}.erased (ids only) tells the systems that copied data of the person to erase their copies. Again: 409 already-erased, no event.',
  })
  erase(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(erasureRequestSchema) body: z.infer<typeof erasureRequestSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.personalData.erase(edition, id, body.reason, principal);
  }

  @Post('v1/personal-data/rewrap')
  @HttpCode(200)
  @Roles(ROLE.ocAdmin)
  @ApiOperation({
    summary: 'Key rotation: re-wrap up to `limit` data keys wrapped by an older key-encryption key under the current one',
    description: 'Answers {current, rewrapped, remaining, unreadable, failed}; call again while rewrapped > 0 (docs/accreditation.md#personal-data).',
  })
  rewrap(@ZodBody(rewrapRequestSchema) body: z.infer<typeof rewrapRequestSchema>) {
    return this.personalData.rewrap(body.limit);
  }
}
