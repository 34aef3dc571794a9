import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { CHECKIN_ROLES, MANAGER_ROLES } from '../app/config';
import { assignmentViewSchema } from '../assignments/assignments.logic';
import { reasonSchema } from '../common/codes';
import {
  BULK_MAX_SHIFTS,
  publishSchema,
  shiftBulkSchema,
  type ShiftInput,
  shiftInputSchema,
  type ShiftListQuery,
  shiftListQuerySchema,
  type ShiftPatch,
  shiftPatchSchema,
  shiftViewSchema,
} from './shifts.logic';
import { ShiftsService } from './shifts.service';

const cancelSchema = z.strictObject({ reason: reasonSchema });

/** The shifts' bulk answer: a report per row, created (its id) or refused (why, and the fields). */
const shiftBulkReportSchema = z.object({
  created: z.int(),
  refused: z.int(),
  rows: z.array(
    z.union([
      z.object({ index: z.int(), status: z.literal('created'), id: z.uuid() }),
      z.object({
        index: z.int(),
        status: z.literal('refused'),
        reason: z.enum(['invalid', 'unknown-venue', 'forbidden-venue']),
        errors: z.array(z.object({ field: z.string(), message: z.string() })),
      }),
    ]),
  ),
});

@ApiTags('shifts')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/shifts')
export class ShiftsController {
  constructor(private readonly shifts: ShiftsService) {}

  @Post()
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(422)
  @ApiOperation({
    summary: "Create a shift, its start and end given in the venue's local time (no offset)",
    description:
      'A local time skipped or repeated by a daylight saving change is a 400 naming the field; an unknown venue a 422 unknown-venue. ' +
      'Answered with start/end in UTC and startLocal/endLocal with the offset.',
  })
  @ApiZodResponse(shiftViewSchema, { status: 201 })
  create(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(shiftInputSchema) body: ShiftInput, @CurrentPrincipal() principal: Principal) {
    return this.shifts.create(edition, body, principal);
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiOperation({ summary: `Create up to ${BULK_MAX_SHIFTS} shifts; a report per row (a bad row refuses only itself)` })
  @ApiZodResponse(shiftBulkReportSchema)
  async bulk(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(shiftBulkSchema) body: z.infer<typeof shiftBulkSchema>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof shiftBulkReportSchema>> {
    const rows = await this.shifts.createBatch(edition, body.shifts, principal);
    return { created: rows.filter((r) => r.status === 'created').length, refused: rows.filter((r) => r.status === 'refused').length, rows };
  }

  @Post('publish')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiOperation({ summary: 'Publish the draft shifts of a local date (at one venue, or all), and mark their assignments published' })
  @ApiZodResponse(z.object({ shifts: z.int(), assignments: z.int() }))
  publish(@ZodParam('edition', editionCodeSchema) edition: string, @ZodBody(publishSchema) body: z.infer<typeof publishSchema>, @CurrentPrincipal() principal: Principal) {
    return this.shifts.publish(edition, body.localDate, body.venue, principal);
  }

  @Get()
  @Roles(...CHECKIN_ROLES)
  @ApiOperation({ summary: "Shifts by local date, venue, status, functional area, in start order, with their filled count (limited to the token's venues)" })
  @ApiZodResponse(z.object({ items: z.array(shiftViewSchema), nextCursor: z.string().nullable() }))
  list(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(shiftListQuerySchema) query: ShiftListQuery, @CurrentPrincipal() principal: Principal) {
    return this.shifts.list(edition, query, principal);
  }

  @Get(':id')
  @Roles(...CHECKIN_ROLES)
  @ApiOperation({ summary: "One shift with its assignments (404 for a shift of another venue than the token's)" })
  @ApiZodResponse(shiftViewSchema.extend({ assignments: z.array(assignmentViewSchema) }))
  get(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.shifts.get(edition, id, principal);
  }

  @Patch(':id')
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({
    summary: 'Change times (local), headcount (409 headcount-below-assigned), role or requirements at the version read (409 stale-version)',
    description:
      'New times or requirements re-check the live assignments with the rules: one that now breaks a rule is flagged rule-violated ' +
      '(GET .../flags), one valid again loses that flag; flaggedAssignments and unflaggedAssignments count them.',
  })
  @ApiZodResponse(
    shiftViewSchema.extend({
      flaggedAssignments: z.int().meta({ description: 'Live assignments flagged rule-violated by this change' }),
      unflaggedAssignments: z.int().meta({ description: 'Flags cleared by this change (rule-violated, or session-moved once at the suggested times)' }),
    }),
  )
  patch(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(shiftPatchSchema) body: ShiftPatch,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.shifts.patch(edition, id, body, principal);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Cancel a shift with a reason; its assignments still to be worked are cancelled (assignment.changed each)' })
  @ApiZodResponse(shiftViewSchema.extend({ cancelledAssignments: z.int() }))
  cancel(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(cancelSchema) body: z.infer<typeof cancelSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.shifts.cancel(edition, id, body.reason, principal);
  }
}
