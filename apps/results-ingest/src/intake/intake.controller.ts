import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { type IngestAck, ingestAckSchema } from '@podium/contracts';
import { MAX_ODF_VERSION } from '@podium/odf-message';
import {
  ApiProblemResponses,
  ApiZodResponse,
  CONFIG,
  type HttpRequest,
  JSON_MEDIA_TYPES,
  ProblemException,
  requestIs,
} from '@podium/platform';

import type { ResultsIngestConfig } from '../app/config';
import { BodyReadError, readBody } from './body';
import { IngestMetrics } from './ingest-metrics';
import { INTAKE_ROUTE, IntakeGate } from './intake.gate';
import { IngestError, parseJsonInput, parseXmlInput, type ParsedInput } from './intake.logic';
import { IntakeService } from './intake.service';

const XML_MEDIA_TYPES = ['application/xml', 'text/xml', 'application/*+xml'];
const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Bodies sent without a useful type are sniffed (first non-blank character '<' or '{'). */
const SNIFFED_MEDIA_TYPES = ['application/octet-stream', 'text/plain'];

/** The problem+json for an intake error (also used by the documents API). */
export function problemOf(error: IngestError): ProblemException {
  const headers: Record<string, string> = {};
  if (error.code === 'invalid-api-key') headers['WWW-Authenticate'] = 'ApiKey header="X-API-KEY"';
  if (error.code === 'publish-pending') headers['Retry-After'] = '1';
  if (error.code === 'unsupported-media-type') headers['Accept-Post'] = 'application/xml, text/xml, application/json';
  return new ProblemException({
    status: error.status,
    slug: error.code,
    detail: error.message,
    errors: error.errors.length > 0 ? [...error.errors] : undefined,
    headers,
  });
}

/** A documented problem response of the intake (its reason codes: the problem's `type` ends with them). */
function refusal(status: number, description: string) {
  return {
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

function bodyError(error: BodyReadError): IngestError {
  switch (error.kind) {
    case 'too-large':
      return new IngestError('payload-too-large', error.message);
    case 'unsupported-encoding':
      return new IngestError('unsupported-media-type', error.message);
    default:
      return new IngestError('malformed-message', error.message);
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0 && !Array.isArray(value));
}

@ApiTags('intake')
@Public()
@ApiSecurity('api-key')
@Controller(INTAKE_ROUTE.slice(1))
export class IntakeController {
  constructor(
    private readonly intake: IntakeService,
    private readonly gate: IntakeGate,
    private readonly metrics: IngestMetrics,
    @Inject(CONFIG) private readonly config: ResultsIngestConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit one ODF message (XML or JSON)',
    description:
      'One ODF message per request: XML (`<OdfBody …>`, Content-Type application/xml or text/xml) or its JSON form ' +
      '(application/json), optionally gzip-compressed (Content-Encoding: gzip); at most INGEST_MAX_BYTES (10 MB) after ' +
      'decompression. The X-API-KEY header identifies the venue system and the Sources it may send for; it is checked ' +
      'before the body is read (401 without reading it). A document is bound to the Source of its first accepted ' +
      'version: a message for it from another Source answers 403 document-source-mismatch and stores nothing. ' +
      'Answers 200 only once the message is stored and published: `applied`, `withdrawn`, `quarantined` (published, ' +
      'RSC unknown to the schedule), `duplicate` (same Version, not published again) or `stale` (lower Version, ' +
      'recorded, not published). Retrying the same message is always safe. 503 publish-pending: stored, publication ' +
      'still pending: retry later.',
  })
  @ApiHeader({ name: 'X-API-KEY', required: true, description: 'Venue API key (bound to ODF Sources)' })
  @ApiConsumes('application/xml', 'text/xml', 'application/json')
  @ApiBody({
    required: true,
    description: 'The ODF message: `<OdfBody …>` XML, or its JSON form (camelCase header fields + competition)',
    schema: { type: 'string' },
  })
  @ApiZodResponse(ingestAckSchema, { description: 'Accepted: what happened to the message' })
  // Above ApiProblemResponses (applied after it): the reason codes of these statuses, added to its descriptions.
  @ApiResponse(refusal(401, 'invalid-api-key: X-API-KEY missing or unknown (answered before the body is read)'))
  @ApiResponse(
    refusal(
      403,
      'source-not-allowed: the key is not bound to the Source of the message; document-source-mismatch: the document is ' +
        'bound to another Source (that of its first accepted version), nothing is stored',
    ),
  )
  @ApiResponse(
    refusal(
      422,
      `invalid-odf-message: not valid ODF, each field in errors[] (e.g. body.Version above ${MAX_ODF_VERSION}, 2^31-1)`,
    ),
  )
  @ApiProblemResponses(400, 401, 403, 413, 415, 422, 503)
  async submit(@Req() req: HttpRequest): Promise<IngestAck> {
    try {
      // Checked by the gate's onRequest hook before the body was read (a request without a valid key ends there).
      const sources = this.gate.sourcesOf(req);
      const reading = performance.now();
      const input = await this.readInput(req);
      this.metrics.stage('read', (performance.now() - reading) / 1e3);
      return await this.intake.ingest(input, sources, 'http');
    } catch (error) {
      if (error instanceof IngestError) {
        // Let the client finish sending (it then reads the problem instead of a reset connection).
        if (!req.raw.readableEnded) req.raw.resume();
        this.metrics.reject(error.code, 'http');
        throw problemOf(error);
      }
      throw error;
    }
  }

  private async readInput(req: HttpRequest): Promise<ParsedInput> {
    if (requestIs(req, JSON_MEDIA_TYPES)) {
      // Parsed (and inflated, within HTTP_BODY_LIMIT) by the platform's JSON body parser.
      const body: unknown = req.body;
      if (isEmpty(body)) throw new IngestError('malformed-message', 'The request body is empty: send one ODF message.');
      return parseJsonInput(body, JSON.stringify(body));
    }
    const xml = requestIs(req, XML_MEDIA_TYPES);
    const sniff = !req.headers['content-type'] || requestIs(req, SNIFFED_MEDIA_TYPES);
    if (!xml && !sniff) {
      throw new IngestError(
        'unsupported-media-type',
        `Send the ODF message as application/xml (or text/xml) or application/json, not '${req.headers['content-type'] ?? ''}'.`,
      );
    }
    let bytes: Buffer;
    try {
      bytes = await readBody(req.raw, {
        maxBytes: this.config.INGEST_MAX_BYTES,
        contentEncoding: req.headers['content-encoding'],
        contentLength: req.headers['content-length'],
      });
    } catch (error) {
      if (error instanceof BodyReadError) throw bodyError(error);
      throw error;
    }
    if (bytes.length === 0) throw new IngestError('malformed-message', 'The request body is empty: send one ODF message.');
    if (!xml && firstNonBlank(bytes) === '{') {
      const text = bytes.toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text) as unknown;
      } catch (error) {
        throw new IngestError('malformed-message', `Malformed JSON: ${error instanceof Error ? error.message : 'syntax error'}`);
      }
      return parseJsonInput(value, text);
    }
    return parseXmlInput(bytes);
  }
}

function firstNonBlank(bytes: Buffer): string {
  for (let i = 0; i < bytes.length && i < 1024; i++) {
    const c = bytes[i] ?? 0;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xef && c !== 0xbb && c !== 0xbf) {
      return String.fromCharCode(c);
    }
  }
  return '';
}
