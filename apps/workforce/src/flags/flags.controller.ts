import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { MANAGER_ROLES, SUPERVISOR_ROLES } from '../app/config';
import { venueCodeSchema } from '../common/codes';
import { FLAG_KINDS } from '../events/events.logic';
import { FlagsService } from './flags.service';

const flagsQuerySchema = z.strictObject({
  kind: z.enum(FLAG_KINDS).optional(),
  venue: venueCodeSchema.optional(),
});
const acceptSchema = z.strictObject({ version: z.int().min(1).meta({ description: "The shift's version the suggestion was read at" }) });

@ApiTags('flags')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get('flags')
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({
    summary: 'Shifts and assignments flagged by the event reactions, with their suggestions',
    description:
      'Flags: session-moved (a shift with its suggested move; an assignment whose member would break a rule at the suggested times), ' +
      'accreditation-suspended and accreditation-revoked (an assignment with suggested replacements), rule-violated (an assignment whose ' +
      "shift's PATCH made its member break a rule, with the violations). Within the token's venues.",
  })
  list(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(flagsQuerySchema) query: z.infer<typeof flagsQuerySchema>, @CurrentPrincipal() principal: Principal) {
    return this.flags.list(edition, query, principal);
  }

  @Post('shifts/:id/flag/accept')
  @HttpCode(200)
  @Roles(...MANAGER_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: "Accept a session-moved suggestion: the shift moves by the session's offset (at its version)" })
  accept(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(acceptSchema) body: z.infer<typeof acceptSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.flags.accept(edition, id, body.version, principal);
  }

  @Post('shifts/:id/flag/dismiss')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({ summary: "Dismiss a shift's flag (the shift stays as it is)" })
  dismissShift(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.flags.dismissShift(edition, id, principal);
  }

  @Post('assignments/:id/flag/dismiss')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({ summary: "Dismiss an assignment's flag (the assignment stays as it is)" })
  dismissAssignment(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.flags.dismissAssignment(edition, id, principal);
  }
}
