import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { type HttpReply, type HttpRequest, sendCached } from '@podium/platform';
import { MedalsService } from './medals.service';

/** The medal table, computed live from DT_MEDALLISTS and OFFICIAL medal-unit results. */
@ApiTags('medals')
@Public()
@Controller('v1/medals')
export class MedalsController {
  constructor(private readonly medals: MedalsService) {}

  @Get()
  @ApiOperation({ summary: 'Medal table: gold, silver, bronze, total per NOC, ranked by golds, then silvers, then bronzes' })
  @ApiOkResponse({
    description:
      '{ seq, rows: [{ rank, noc, gold, silver, bronze, total }], totals, events }: `seq` is the RESULTS sequence ' +
      'of the message that last changed it; NOCs with equal medals share a rank. Strong ETag; 304 on If-None-Match.',
  })
  table(@Req() req: HttpRequest, @Res() reply: HttpReply): void {
    const answer = this.medals.current();
    sendCached(req, reply, answer.body, answer);
  }
}
