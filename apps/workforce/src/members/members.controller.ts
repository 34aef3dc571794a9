import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { MANAGER_ROLES, SUPERVISOR_ROLES } from '../app/config';
import { reasonSchema } from '../common/codes';
import {
  BULK_MAX_ROWS,
  bulkInputSchema,
  type MemberInput,
  memberInputSchema,
  type MemberListQuery,
  memberListQuerySchema,
  type MemberPatch,
  memberPatchSchema,
  memberViewSchema,
} from './members.logic';
import { MembersService } from './members.service';

const releaseSchema = z.strictObject({ reason: reasonSchema });
const bulkReportSchema = z.object({
  created: z.int(),
  refused: z.int(),
  rows: z.array(
    z.object({
      index: z.int(),
      status: z.enum(['created', 'refused']),
      id: z.uuid().optional(),
      reason: z.enum(['invalid', 'duplicate-volunteer']).optional(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  ),
});

@ApiTags('members')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Post()
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({
    summary: 'Create a member (staff, contractor, or a volunteer); member.changed is published',
    description: 'The date of birth and nationality are sealed at rest and shown to managers and oc-admin only. 409 duplicate-volunteer when the volunteer is already a member.',
  })
  @ApiZodResponse(memberViewSchema, { status: 201 })
  create(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(memberInputSchema) body: MemberInput, @CurrentPrincipal() principal: Principal) {
    return this.members.create(edition, body, principal.sub);
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(413)
  @ApiOperation({ summary: `Create up to ${BULK_MAX_ROWS} members at once; a report per row (a bad row refuses only itself)` })
  @ApiZodResponse(bulkReportSchema)
  async bulk(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(bulkInputSchema) body: z.infer<typeof bulkInputSchema>, @CurrentPrincipal() principal: Principal) {
    const rows = await this.members.createBatch(edition, body.members, principal.sub);
    return { created: rows.filter((r) => r.status === 'created').length, refused: rows.filter((r) => r.status === 'refused').length, rows };
  }

  @Get()
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({ summary: 'A page of members in name order, filtered (type, status, home venue, functional area, skill, language, name prefix)' })
  @ApiZodResponse(z.object({ items: z.array(memberViewSchema), nextCursor: z.string().nullable() }))
  list(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(memberListQuerySchema) query: MemberListQuery, @CurrentPrincipal() principal: Principal) {
    return this.members.list(edition, query, principal);
  }

  @Get(':id')
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({ summary: 'One member (the date of birth and nationality for managers and oc-admin only)' })
  @ApiZodResponse(memberViewSchema)
  get(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.members.get(edition, id, principal);
  }

  @Patch(':id')
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Change a member at the version read (409 stale-version otherwise); member.changed is published' })
  @ApiZodResponse(memberViewSchema)
  patch(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(memberPatchSchema) body: MemberPatch,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.members.patch(edition, id, body, principal);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Release a member (status released, with a reason); its assignments to come are cancelled' })
  @ApiZodResponse(memberViewSchema.extend({ cancelledAssignments: z.int() }))
  release(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(releaseSchema) body: z.infer<typeof releaseSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.members.release(edition, id, body.reason, principal);
  }
}
