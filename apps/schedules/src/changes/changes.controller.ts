import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, type DryRunQuery, dryRunQuerySchema, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { ScheduleQueryService } from '../schedule/schedule-query.service';
import { type ChangeRequestBody, changeRequestBodySchema, historyQuerySchema } from './changes.dto';
import { ChangesService } from './changes.service';

@ApiTags('rescheduling')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409, 413, 428)
@Controller('v1/editions/:edition/changes')
export class ChangesController {
  constructor(
    private readonly changes: ChangesService,
    private readonly query: ScheduleQueryService,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('schedule-manager')
  @ApiOperation({
    summary: 'Plan (dryRun=true) or apply a schedule change',
    description:
      'Kinds: moveUnit, moveSession, shiftSessions (a day or a set of sessions by an offset), postponeUnit, cancelUnit, ' +
      'restoreUnit, setUnitStatus. A dry run returns the before/after diff, the conflicts and the versions to send back ' +
      'as expectedVersions. Applying is atomic and recorded in the history; each affected unit is published on ' +
      'oms.schedules.v1.unit.{discipline}.updated. A stale expected version answers 409 stale-version; new conflicts ' +
      'answer 409 schedule-conflict unless allowConflicts is true.',
  })
  change(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(dryRunQuerySchema) q: DryRunQuery,
    @ZodBody(changeRequestBodySchema) body: ChangeRequestBody,
    @CurrentPrincipal() principal: Principal,
  ) {
    return q.dryRun ? this.changes.dryRun(edition, body, principal.sub) : this.changes.apply(edition, body, principal.sub);
  }

  @Get()
  @Roles('schedule-manager', 'oc-admin')
  @ApiOperation({ summary: 'History of applied changes: who, when, why, before/after' })
  history(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(historyQuerySchema) q: z.infer<typeof historyQuerySchema>,
  ) {
    return this.query.history(edition, q.limit, q.before);
  }

  @Get(':id')
  @Roles('schedule-manager', 'oc-admin')
  @ApiOperation({ summary: 'One applied change' })
  one(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string) {
    return this.query.change(edition, id);
  }
}
