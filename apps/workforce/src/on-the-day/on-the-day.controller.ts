import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { CHECKIN_ROLES, SUPERVISOR_ROLES } from '../app/config';
import { OnShiftService } from './on-shift.service';
import {
  type CardRead,
  cardReadSchema,
  type NoShowInput,
  noShowInputSchema,
  onShiftViewSchema,
  type OnShiftQuery,
  onShiftQuerySchema,
  onTheDayAssignmentSchema,
  type ReplacementsQuery,
  replacementsQuerySchema,
  replacementsViewSchema,
  venueCodeSchema,
} from './on-the-day.dto';
import { OnTheDayService } from './on-the-day.service';
import { ReplacementSuggestionsService } from './replacement-suggestions.service';

/** On the day at the venues (docs/workforce-on-the-day.md). A token's `venues` claim limits it to those venues (404 elsewhere). */
@ApiTags('on the day')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition')
export class OnTheDayController {
  constructor(
    private readonly onTheDay: OnTheDayService,
    private readonly onShiftView: OnShiftService,
    private readonly suggestions: ReplacementSuggestionsService,
  ) {}

  @Post('venues/:venue/check-ins')
  @HttpCode(200)
  @Roles(...CHECKIN_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiZodResponse(onTheDayAssignmentSchema)
  @ApiOperation({
    summary: "Check a member in at the venue's desk by accreditation card number",
    description:
      "Checks in the card holder's assignment at this venue whose window holds `at` (default now): from 90 minutes before the shift's start until its end. " +
      'Answers the assignment, with `late` and `minutesLate` (counted from the start) when after the start plus WORKFORCE_LATE_GRACE_MINUTES. ' +
      'Refused: 422 card-unknown, 422 card-not-active (issued not picked up, suspended, revoked, expired: `cardStatus`), 422 card-not-valid-here, ' +
      '422 no-shift-now (with `nextShift` at this venue, or null), 409 already-checked-in, 409 already-checked-out. Publishes assignment.changed.',
  })
  checkIn(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('venue', venueCodeSchema) venue: string,
    @ZodBody(cardReadSchema) body: CardRead,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.onTheDay.checkIn(edition, venue, body, principal);
  }

  @Post('venues/:venue/check-outs')
  @HttpCode(200)
  @Roles(...CHECKIN_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiZodResponse(onTheDayAssignmentSchema)
  @ApiOperation({
    summary: 'Check a member out at the venue by card number',
    description: "Checks out the holder's checked-in assignment at this venue (a suspended card may still leave). 422 card-unknown; 409 not-checked-in. Publishes assignment.changed.",
  })
  checkOut(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('venue', venueCodeSchema) venue: string,
    @ZodBody(cardReadSchema) body: CardRead,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.onTheDay.checkOut(edition, venue, body, principal);
  }

  @Post('assignments/:id/no-show')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiProblemResponses(409)
  @ApiZodResponse(onTheDayAssignmentSchema)
  @ApiOperation({
    summary: 'Write down an assigned member as a no-show (the sweep does it WORKFORCE_NO_SHOW_MINUTES after the start)',
    description: '409 illegal-transition unless assigned; 409 shift-not-started; `expectedVersion` that differs: 409 stale-version. A no-show arriving after all can still check in. Publishes assignment.changed.',
  })
  noShow(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(noShowInputSchema) body: NoShowInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.onTheDay.markNoShow(edition, id, body, principal);
  }

  @Get('assignments/:id/replacements')
  @Roles(...SUPERVISOR_ROLES)
  @ApiZodResponse(replacementsViewSchema)
  @ApiOperation({
    summary: "Who could take the assignment's place now, best first",
    description:
      'Members for whom every hard rule holds on the shift (checkAssignment), ranked by the score (home venue, functional area, fewest hours that week), ' +
      'each with `rulesHeld` (the rules checked for its type) and `why`. Never the member replaced nor anyone already on the shift.',
  })
  replacements(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodQuery(replacementsQuerySchema) query: ReplacementsQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.suggestions.suggest(edition, id, query.limit, principal);
  }

  @Get('venues/:venue/on-shift')
  @Roles(...SUPERVISOR_ROLES)
  @ApiZodResponse(onShiftViewSchema)
  @ApiOperation({
    summary: 'The live view of a venue: per shift running at `at` (default now), who is there',
    description:
      'Per shift: expected headcount, checked in (names, card numbers, since, late or not), late (assigned, not there, past the grace), awaited, ' +
      'checked out, no-shows, and `missing` places (the headcount less those checked in, late or awaited); totals over the shifts.',
  })
  onShift(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('venue', venueCodeSchema) venue: string,
    @ZodQuery(onShiftQuerySchema) query: OnShiftQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.onShiftView.onShift(edition, venue, query.at, principal);
  }
}
