import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { ApiProblemResponses, type HttpReply, type HttpRequest, ProblemException, sendCached, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import type { DocumentEntry } from '../state/document';
import type { DocumentSelector } from '../state/document-store';
import { documentFilterSchema } from '../state/filter';
import { ResultsState } from '../state/results-state';
import { documentBody, LIVE_CACHE } from '../common/http-cache';

const documentCodeSchema = z.string().regex(/^[A-Z0-9-]{1,34}$/, 'expected an ODF DocumentCode (an RSC for results)');
const rscSchema = z.string().regex(/^[A-Z0-9-]{34}$/, 'expected a 34-character RSC');
const documentTypeSchema = documentFilterSchema.shape.documentType.unwrap();

const selectorSchema = z.strictObject({
  competitionCode: z.string().min(1).max(40).optional(),
  subcode: z.string().min(1).max(64).optional().meta({ description: 'DocumentSubcode' }),
  subtype: z.string().min(1).max(64).optional().meta({ description: 'DocumentSubtype' }),
  language: z.string().min(1).max(64).optional(),
});
type SelectorQuery = z.infer<typeof selectorSchema>;

function selectorOf(q: SelectorQuery): DocumentSelector {
  return {
    ...(q.competitionCode === undefined ? {} : { competitionCode: q.competitionCode }),
    ...(q.subcode === undefined ? {} : { documentSubcode: q.subcode }),
    ...(q.subtype === undefined ? {} : { documentSubtype: q.subtype }),
    ...(q.language === undefined ? {} : { language: q.language }),
  };
}

const DOCUMENT_DESCRIPTION =
  'The ODF message as published by results-ingest, header fields camelCase at the top level (version, ' +
  'resultStatus, documentType…), the Competition element as `competition`, plus `stream` and `seq` (its stream ' +
  'sequence). Strong ETag; 304 on If-None-Match.';

/** Latest results for web and mobile apps: readable without a token, CDN-cacheable for about a second. */
@ApiTags('results')
@Public()
@ApiProblemResponses(400, 404, 410)
@Controller('v1')
export class ResultsController {
  constructor(private readonly state: ResultsState) {}

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
    const store = documentType === 'DT_CURRENT' ? this.state.currents : this.state.documents;
    const entry = store.find(documentCode, documentType, selectorOf(q));
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
    this.send(req, reply, this.state.documents.find(rsc, 'DT_RESULT', selectorOf(q)), `No results for unit ${rsc}`);
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
    this.send(req, reply, this.state.documents.findStartList(rsc, selectorOf(q)), `No start list for unit ${rsc}`);
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
    this.send(req, reply, this.state.documents.find(rsc, 'DT_PHASE_RESULT', selectorOf(q)), `No phase results for ${rsc}`);
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
    const { body, etag } = documentBody(entry);
    sendCached(req, reply, body, { etag, cacheControl: LIVE_CACHE });
  }
}
