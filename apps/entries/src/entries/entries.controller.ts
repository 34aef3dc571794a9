import { Controller, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema, type EntryState, entryStateSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, type DryRunQuery, dryRunQuerySchema, type HttpReply, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES, WRITE_ROLES } from '../common/access';
import { uuidSchema } from '../common/schemas';
import {
  type EntryInput,
  entryInputSchema,
  type EntryNumberInput,
  entryNumberInputSchema,
  entryNumberQuerySchema,
  type EntryQuery,
  entryQuerySchema,
  withdrawInputSchema,
} from './entries.dto';
import { EntriesService } from './entries.service';

@ApiTags('entries')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409, 422)
@Controller('v1/editions/:edition')
export class EntriesController {
  constructor(private readonly entries: EntriesService) {}

  @Post('entries')
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary: 'Entry by Name (an athlete, or a team with its members)',
    description:
      'Checks every rule of the event (deadline, eligibility confirmed, gender, age, team size and composition, ' +
      'entries per NOC, field size, Entry by Number, entry standard or quota place). A broken rule answers 422 ' +
      "'entry-rejected' naming each rule and its numbers (`violations`). dryRun=true answers 200 with the same " +
      'explanation and writes nothing.',
  })
  async enter(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(dryRunQuerySchema) q: DryRunQuery,
    @ZodBody(entryInputSchema) body: EntryInput,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const result = await this.entries.enter(edition, body, principal, q.dryRun);
    res.code(q.dryRun ? 200 : 201);
    return result;
  }

  @Get('entries')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Entries (by event, NOC, status); NOC officials see only their NOC' })
  @ApiZodResponse(z.array(entryStateSchema))
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(entryQuerySchema) q: EntryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EntryState[]> {
    return this.entries.list(edition, principal, q);
  }

  @Get('entries/:id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'One entry with the decisions that accepted it' })
  get(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.entries.get(edition, id, principal);
  }

  @Post('entries/:id/withdraw')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: 'Withdraw an entry (before the Entry by Name deadline; after it: Late Athlete Replacement)' })
  withdraw(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', uuidSchema) id: string,
    @ZodBody(withdrawInputSchema) body: z.infer<typeof withdrawInputSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.entries.withdraw(edition, id, body.reason, principal);
  }

  @Put('entry-numbers')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: 'Entry by Number: how many athletes (or teams) the NOC will enter in an event' })
  setEntryNumber(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(entryNumberInputSchema) body: EntryNumberInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.entries.setEntryNumber(edition, body, principal);
  }

  @Get('entry-numbers')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Entries by Number (NOC officials: their own)' })
  listEntryNumbers(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(entryNumberQuerySchema) q: z.infer<typeof entryNumberQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.entries.listEntryNumbers(edition, principal, q);
  }
}
