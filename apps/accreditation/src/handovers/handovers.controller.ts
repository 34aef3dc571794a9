import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { OC_ROLES } from '../app/config';
import { type HandoverQuery, handoverQuerySchema } from './handovers.dto';
import { HANDOVER_STATUSES } from './handovers.logic';
import { HandoversService } from './handovers.service';

/** A hand-over (a confirmed volunteer, a workforce member) and what became of its application. */
const handoverViewSchema = z.object({
  source: z.string().meta({ description: 'volunteers or workforce' }),
  id: z.string().meta({ description: "The volunteer's or the member's id" }),
  kind: z.string(),
  employer: z.string().nullable(),
  familyName: z.string().nullable(),
  givenName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  nationality: z.string().nullable(),
  role: z.string().nullable(),
  functionalArea: z.string().nullable(),
  venue: z.string().nullable(),
  active: z.boolean(),
  version: z.int(),
  status: z.enum(HANDOVER_STATUSES),
  statusReason: z.string().nullable(),
  statusDetail: z.string().nullable(),
  applicationId: z.string().nullable(),
  receivedAt: z.string(),
  attemptedAt: z.string().nullable(),
});
const handoverPageSchema = z.object({ items: z.array(handoverViewSchema), nextCursor: z.string().nullable() });

@ApiTags('handovers')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403)
@Controller('v1/editions/:edition/handovers')
export class HandoversController {
  constructor(private readonly handovers: HandoversService) {}

  @Get()
  @Roles(...OC_ROLES)
  @ApiOperation({
    summary: 'Volunteers and workforce staff and contractors handed over, with what became of their application; paginated (limit, cursor -> nextCursor)',
    description:
      'Kept from oms.volunteers.v1.volunteer.{edition}.confirmed|withdrawn and oms.workforce.v1.member.{edition}.changed (staff, contractors). ' +
      'status: applied (applicationId), pending (no reference data, category or organisation yet: statusReason), refused (over the quota: ' +
      'statusDetail says by how much), withdrawn (statusReason: card-revoked, application-withdrawn, no-application), erased.',
  })
  @ApiZodResponse(handoverPageSchema)
  list(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(handoverQuerySchema) q: HandoverQuery): Promise<z.output<typeof handoverPageSchema>> {
    return this.handovers.list(edition, q);
  }

  @Post('retry')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiOperation({
    summary: 'Try the pending and refused hand-overs of the edition again now (after a quota place was given back, say)',
    description: 'They are also tried again on their own after each import of the reference data. Answers {tried, applied, pending, refused}.',
  })
  retry(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.handovers.retry(edition);
  }
}
