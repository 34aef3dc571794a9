import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { ApiProblemResponses, type HttpReply, type HttpRequest, ProblemException, sendCached, ZodParam, ZodQuery } from '@podium/platform';
import { documentAnswer } from '../common/http-cache';
import type { DocumentEntry } from '../state/document';
import {
  documentCodeSchema,
  documentTypeSchema,
  ResultsService,
  rscSchema,
  type SelectorQuery,
  selectorOf,
  selectorSchema,
} from './results.service';

const DOCUMENT_DESCRIPTION =
  'The ODF message as published by results-ingest, header fields camelCase at the top level (version, ' +
  'resultStatus, documentType…), the Competition element as `competition`, plus `stream` and `seq` (its stream ' +
  'sequence). Strong ETag; 304 on If-None-Match.';

/**
 * Latest results for web and mobile apps: readable without a token, CDN-cacheable for about a second. The requests
 * without a query string of a served document are answered from memory before this controller (ResultsService).
 */
@ApiTags('results')
@Public()
@ApiProblemResponses(400, 404, 410)
@Controller('v1')
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @Get('documents/:documentCode/:documentType')
  @ApiOperation({ summary: 'Latest version of a document (DT_RESULT, DT_PHASE_RESULT, DT_MEDALLISTS, DT_CURRENT…)' })
  @ApiOkResponse({ description: DOCUMENT_DESCRIPTION })
  document(
    @ZodParam('documentCode', documentCodeSchema) documentCode: string,
    @ZodParam('documentType', documentTypeSchema) documentType: string,
    @ZodQuery(selectorSchema) q: SelectorQuery,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): void {
    const entry = this.results.document(documentCode, documentType, selectorOf(q));
    this.send(req, reply, entry, `No ${documentType} for ${documentCode}`);
  }

  @Get('units/:rsc/results')
  @ApiOperation({ summary: "A unit's results: its latest DT_RESULT, whatever its status (START_LIST, LIVE… OFFICIAL)" })
  @ApiOkResponse({ description: DOCUMENT_DESCRIPTION })
  unitResults(
    @ZodParam('rsc', rscSchema) rsc: string,
    @ZodQuery(selectorSchema) q: SelectorQuery,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): void {
    this.send(req, reply, this.results.unitResults(rsc, selectorOf(q)), `No results for unit ${rsc}`);
  }

  @Get('units/:rsc/start-list')
  @ApiOperation({ summary: "A unit's start list: its last DT_RESULT with ResultStatus START_LIST (kept once results start)" })
  @ApiOkResponse({ description: DOCUMENT_DESCRIPTION })
  startList(
    @ZodParam('rsc', rscSchema) rsc: string,
    @ZodQuery(selectorSchema) q: SelectorQuery,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): void {
    this.send(req, reply, this.results.startList(rsc, selectorOf(q)), `No start list for unit ${rsc}`);
  }

  @Get('phases/:rsc/results')
  @ApiOperation({ summary: "A phase's results (DT_PHASE_RESULT of the phase RSC, unit part '-')" })
  @ApiOkResponse({ description: DOCUMENT_DESCRIPTION })
  phaseResults(
    @ZodParam('rsc', rscSchema) rsc: string,
    @ZodQuery(selectorSchema) q: SelectorQuery,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): void {
    this.send(req, reply, this.results.phaseResults(rsc, selectorOf(q)), `No phase results for ${rsc}`);
  }

  private send(req: HttpRequest, reply: HttpReply, entry: DocumentEntry | undefined, missing: string): void {
    if (!entry) throw new ProblemException({ status: 404, slug: 'document-not-found', detail: missing });
    if (entry.data.withdrawn) {
      throw new ProblemException({
        status: 410,
        slug: 'document-withdrawn',
        detail: `${entry.data.documentType} ${entry.data.documentCode} was withdrawn (version ${entry.data.version})`,
        extensions: { version: entry.data.version, seq: entry.seq },
      });
    }
    const answer = documentAnswer(entry);
    sendCached(req, reply, answer.body, answer);
  }
}
