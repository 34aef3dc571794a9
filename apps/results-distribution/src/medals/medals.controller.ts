import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import type { Request, Response } from 'express';
import { ResultsState } from '../state/results-state';
import { contentEtag, LIVE_CACHE, sendCached } from './http-cache';

/** The medal table, computed live from DT_MEDALLISTS and OFFICIAL medal-unit results. */
@ApiTags('medals')
@Public()
@Controller('v1/medals')
export class MedalsController {
  private cached?: { table: object; body: string; etag: string };

  constructor(private readonly state: ResultsState) {}

  @Get()
  @ApiOperation({ summary: 'Medal table: gold, silver, bronze, total per NOC, ranked by golds, then silvers, then bronzes' })
  @ApiOkResponse({
    description:
      '{ seq, rows: [{ rank, noc, gold, silver, bronze, total }], totals, events }: `seq` is the RESULTS sequence ' +
      'of the message that last changed it; NOCs with equal medals share a rank. Strong ETag; 304 on If-None-Match.',
  })
  table(@Req() req: Request, @Res() res: Response): void {
    const table = this.state.medals.table;
    if (this.cached?.table !== table) {
      const body = JSON.stringify(table);
      this.cached = { table, body, etag: contentEtag(body) };
    }
    sendCached(req, res, this.cached.body, { etag: this.cached.etag, cacheControl: LIVE_CACHE });
  }
}
