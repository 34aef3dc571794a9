import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, type HttpReply, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { RECRUITER_ROLES } from '../app/config';
import { STAGES } from '../applications/application.logic';
import { applicationViewSchema } from '../applications/applications.view';
import { BulkTransitionsService } from './bulk-transitions.service';
import { FunnelExportService } from './funnel-export.service';
import {
  BULK_MAX_ROWS,
  type BookingInput,
  bookingInputSchema,
  type BulkInput,
  bulkInputSchema,
  type ExportQuery,
  exportQuerySchema,
  type SlotInput,
  slotInputSchema,
  type SlotQuery,
  slotQuerySchema,
  type TransitionInput,
  transitionInputSchema,
} from './pipeline.dto';
import { PipelineService } from './pipeline.service';

const stageSchema = z.enum(STAGES);
/** A count per stage, every stage a property (an object rather than a record: generators name each one). */
const countPerStageSchema = z.object(Object.fromEntries(STAGES.map((stage) => [stage, z.int()])) as Record<(typeof STAGES)[number], ReturnType<typeof z.int>>);

/** The bulk moves' report: a row per matched application, applied or refused (why, and the stages it could go to). */
const bulkReportSchema = z.object({
  to: stageSchema,
  matched: z.int(),
  applied: z.int(),
  refused: z.int(),
  items: z.array(
    z.union([
      z.object({ id: z.uuid(), status: z.literal('applied'), from: stageSchema, to: stageSchema, version: z.int() }),
      z.object({
        id: z.uuid(),
        status: z.literal('refused'),
        from: stageSchema.nullable(),
        reason: z.string(),
        detail: z.string(),
        allowed: z.array(stageSchema).optional(),
      }),
    ]),
  ),
});

/** Applications per stage now, and the conversion between consecutive stages of the main line. */
const funnelSchema = z.object({
  edition: z.string(),
  total: z.int(),
  counts: countPerStageSchema,
  conversion: z.array(
    z.object({
      from: stageSchema,
      to: stageSchema,
      reachedFrom: z.int(),
      reachedTo: z.int(),
      rate: z.number().nullable().meta({ description: 'reachedTo / reachedFrom, 4 decimals; null when none reached from' }),
    }),
  ),
});

/** An interview slot with its free places. */
const slotViewSchema = z.object({
  id: z.uuid(),
  edition: z.string(),
  startsAt: z.string(),
  location: z.string(),
  capacity: z.int(),
  booked: z.int(),
  free: z.int(),
  createdBy: z.string(),
});

@ApiTags('pipeline')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Roles(...RECRUITER_ROLES)
@Controller('v1/editions/:edition')
export class PipelineController {
  constructor(
    private readonly pipeline: PipelineService,
    private readonly bulk: BulkTransitionsService,
    private readonly funnelExport: FunnelExportService,
  ) {}

  @Post('applications/:id/transitions')
  @HttpCode(200)
  @ApiProblemResponses(409)
  @ApiZodResponse(applicationViewSchema)
  @ApiOperation({
    summary: 'Move an application along the pipeline',
    description:
      'screened, interview-booked (with slotId), interviewed, trained, offered (with role, area, venue, deadline), confirmed (publishes the hand-over), ' +
      'rejected or withdrawn (a release of an accepted or confirmed volunteer; publishes withdrawn when confirmed), with a reason (required for rejected and withdrawn). ' +
      'Not allowed from the current stage: 409 illegal-transition with `allowed`; an offer past its deadline: 409 offer-lapsed; `expectedVersion` that differs: 409 stale-version.',
  })
  transition(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(transitionInputSchema) body: TransitionInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.pipeline.transition(edition, id, body, principal);
  }

  @Post('applications/:id/interview')
  @HttpCode(200)
  @ApiProblemResponses(409)
  @ApiZodResponse(applicationViewSchema)
  @ApiOperation({
    summary: 'Book a place of an interview slot for a screened application (or move its booking)',
    description: 'One conditional update of the slot (booked < capacity): of two recruiters booking the last place, exactly one wins; the other gets 409 slot-full.',
  })
  book(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(bookingInputSchema) body: BookingInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.pipeline.book(edition, id, body.slotId, body.reason, principal);
  }

  @Get('applications/:id/history')
  @ApiOperation({ summary: 'Every change of the application, oldest first: who, when, why' })
  history(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string) {
    return this.pipeline.history(edition, id);
  }

  @Post('applications/bulk-transitions')
  @HttpCode(200)
  @ApiProblemResponses(422)
  @ApiOperation({
    summary: `Screen, offer or reject a filtered set of applications (at most ${BULK_MAX_ROWS}), with a report per row`,
    description:
      'Each row is applied or refused with why (the rule of a single move: reason, detail, allowed); a row not allowed never blocks the others. ' +
      `A filter matching more than ${BULK_MAX_ROWS}: 422 too-many-rows, nothing moved.`,
  })
  @ApiZodResponse(bulkReportSchema)
  bulkTransitions(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(bulkInputSchema) body: BulkInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof bulkReportSchema>> {
    return this.bulk.apply(edition, body, principal);
  }

  @Get('funnel')
  @ApiOperation({ summary: 'Applications per stage and the conversion between consecutive stages of the main line' })
  @ApiZodResponse(funnelSchema)
  funnel(@ZodParam('edition', editionCodeSchema) edition: string): Promise<z.output<typeof funnelSchema>> {
    return this.funnelExport.funnel(edition);
  }

  @Get('applications.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (RFC 4180, UTF-8, header line): no contact details nor date of birth; cells starting with = + - @ are prefixed with a quote' })
  @ApiOperation({ summary: "The edition's applications as CSV (one stage with ?stage=), streamed" })
  async csv(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(exportQuerySchema) query: ExportQuery, @Res() reply: HttpReply): Promise<void> {
    const name = `volunteers-${edition}${query.stage ? `-${query.stage}` : ''}.csv`;
    await reply
      .code(200)
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'private, no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(this.funnelExport.csv(edition, query.stage));
  }
}

@ApiTags('pipeline')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403)
@Roles(...RECRUITER_ROLES)
@Controller('v1/editions/:edition/interview-slots')
export class InterviewSlotsController {
  constructor(private readonly pipeline: PipelineService) {}

  @Post()
  @ApiOperation({ summary: 'Create an interview slot (capacity: applicants interviewed together, default 2)' })
  @ApiZodResponse(slotViewSchema, { status: 201 })
  create(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(slotInputSchema) body: SlotInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof slotViewSchema>> {
    return this.pipeline.createSlot(edition, body, principal);
  }

  @Get()
  @ApiOperation({ summary: "The edition's interview slots by start time, with their free places" })
  @ApiZodResponse(z.object({ items: z.array(slotViewSchema) }))
  list(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(slotQuerySchema) query: SlotQuery): Promise<{ items: z.output<typeof slotViewSchema>[] }> {
    return this.pipeline.listSlots(edition, query);
  }
}
