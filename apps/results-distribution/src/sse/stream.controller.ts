import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { ApiProblemResponses, type HttpReply, type HttpRequest, ZodQuery } from '@podium/platform';
import { SseService, type StreamQuery, streamQuerySchema } from './sse.service';

/** Live updates for browsers (EventSource). */
@ApiTags('stream')
@Public()
@Controller('v1/stream')
export class StreamController {
  constructor(private readonly sse: SseService) {}

  @Get()
  @ApiOperation({
    summary: 'Server-Sent Events: a snapshot, then every update of the documents asked for (and the medal table, the schedule)',
    description:
      'Events: hello {seq, resumed}; snapshot {seq, part, parts, documents} (id = seq); document (id = stream sequence, ' +
      'data = the document as GET /v1/documents returns it); current (DT_CURRENT running clock, no id); medals; ' +
      'schedule-snapshot; schedule; reset {reason} (the Last-Event-ID is too old: a snapshot follows); error ' +
      '{code, reason} before the server ends a stream whose client cannot keep up. Reconnect with Last-Event-ID ' +
      '(EventSource does it) to get only what was missed. 429: this client address holds as many streams as it may ' +
      '(MAX_CONNECTIONS_PER_ADDRESS); 503: the instance is full.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Last document id received, to resume' })
  @ApiProblemResponses(400, 429, 503)
  stream(@ZodQuery(streamQuerySchema) q: StreamQuery, @Req() req: HttpRequest, @Res() reply: HttpReply): void {
    this.sse.open(req, reply, q);
  }
}
