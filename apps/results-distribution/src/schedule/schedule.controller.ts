import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { type HttpReply, type HttpRequest, sendCached, ZodQuery } from '@podium/platform';
import { type ScheduleQuery, scheduleQuerySchema, ScheduleService } from './schedule.service';

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
    const answer = this.scheduleService.answer(q);
    sendCached(req, reply, answer.body, answer);
  }
}
