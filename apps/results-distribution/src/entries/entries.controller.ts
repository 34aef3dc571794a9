import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { ApiProblemResponses, type HttpReply, type HttpRequest, sendCached, ZodParam } from '@podium/platform';
import { EntriesService, eventRscSchema } from './entries.service';

/** Who is entered in each event (from the ENTRIES stream), for start lists before the results have one. */
@ApiTags('entries')
@Public()
@ApiProblemResponses(400)
@Controller('v1/events')
export class EntriesController {
  constructor(private readonly entriesService: EntriesService) {}

  @Get(':eventRsc/entries')
  @ApiOperation({ summary: "An event's current entries (status ENTERED; withdrawn entries are left out)" })
  @ApiOkResponse({
    description:
      '{ event, entries: [EntryState] } by NOC, then family and given name of the first starter, then entry id; ' +
      'an empty list for an event without entries. Strong ETag; 304 on If-None-Match.',
  })
  entries(
    @ZodParam('eventRsc', eventRscSchema) eventRsc: string,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): void {
    const answer = this.entriesService.answer(eventRsc);
    sendCached(req, reply, answer.body, answer);
  }
}
