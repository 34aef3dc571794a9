import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { SUPERVISOR_ROLES } from '../app/config';
import { reasonSchema } from '../common/codes';
import { assignmentViewSchema } from './assignments.logic';
import { AssignmentsService } from './assignments.service';

const assignSchema = z.strictObject({ memberId: z.uuid(), reason: reasonSchema.optional() });
const cancelSchema = z.strictObject({ reason: reasonSchema });

@ApiTags('assignments')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Post('shifts/:shiftId/assignments')
  @Roles(...SUPERVISOR_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiOperation({
    summary: 'Assign a member to a shift',
    description:
      'Decided by the rules engine in one serializable transaction: 422 rule-violated with `violations: [{rule, message, actual, limit, shiftId?}]`, ' +
      '409 shift-full when the headcount is reached (two supervisors racing for the last place: exactly one wins), 409 already-assigned, 409 shift-cancelled. ' +
      "404 for a shift of another venue than the token's.",
  })
  @ApiZodResponse(assignmentViewSchema, { status: 201 })
  assign(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('shiftId', z.uuid()) shiftId: string,
    @ZodBody(assignSchema) body: z.infer<typeof assignSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.assignments.assign(edition, shiftId, body.memberId, body.reason, principal);
  }

  @Post('assignments/:id/cancel')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Cancel an assignment (still assigned) with a reason' })
  @ApiZodResponse(assignmentViewSchema)
  cancel(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(cancelSchema) body: z.infer<typeof cancelSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.assignments.cancel(edition, id, body.reason, principal);
  }

  @Get('members/:id/assignments')
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({ summary: "A member's roster: its assignments in start order with their shifts (limited to the token's venues)" })
  roster(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.assignments.roster(edition, id, principal);
  }
}
