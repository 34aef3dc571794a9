import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { type HttpReply, type HttpRequest, sendCached, ZodQuery } from '@podium/platform';
import { SCHEDULE_STATUSES } from '@podium/odf';
import { z } from 'zod';
import { SCHEDULE_CACHE } from '../common/http-cache';
import { ScheduleService } from './schedule.service';

export const scheduleQuerySchema = z.strictObject({
  discipline: z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter discipline code').optional(),
  logicalDate: z.iso.date().optional().meta({ description: 'Competition day, YYYY-MM-DD' }),
  status: z.enum(SCHEDULE_STATUSES).optional(),
  live: z.stringbool().optional().meta({ description: 'true: only units running now' }),
});
export type ScheduleQuery = z.infer<typeof scheduleQuerySchema>;

/** The schedule (from the SCHEDULES stream) with each unit's live status from the results. */
@ApiTags('schedule')
@Public()
@Controller('v1/schedule')
export class ScheduleController {
  constructor(private readonly scheduleService: ScheduleService) {}

  @Get()
  @ApiOperation({ summary: 'Schedule units with live status (results status and whether the unit is running now)' })
  @ApiOkResponse({
    description:
      '{ units: [ScheduleUnitState + { scheduleSeq, results: { resultStatus, version, seq } | null, live }] }, ' +
      'by start time. Strong ETag; 304 on If-None-Match.',
  })
  schedule(@ZodQuery(scheduleQuerySchema) q: ScheduleQuery, @Req() req: HttpRequest, @Res() reply: HttpReply): void {
    const { body, etag } = this.scheduleService.body(q);
    sendCached(req, reply, body, { etag, cacheControl: SCHEDULE_CACHE });
  }
}
