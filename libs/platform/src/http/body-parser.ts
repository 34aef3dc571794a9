import bodyParser from 'body-parser';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import typeis from 'type-is';
import { ProblemException } from './problem';

/** Media types parsed as JSON: application/json and the structured-syntax suffix application/*+json. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
  charset?: string;
  encoding?: string;
}

/** Errors of body-parser / raw-body carry a string `type` such as 'entity.parse.failed'. */
export function isBodyParserError(error: unknown): error is Error & BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).type === 'string';
}

/** The problem for a body-parser error: 400 malformed-json, 413 payload-too-large, 415 unsupported-media-type. */
export function problemFromBodyParserError(error: Error & BodyParserError): ProblemException {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ProblemException({
        status: 400,
        slug: 'malformed-json',
        title: 'Malformed JSON',
        // JSON.parse's message names the position, e.g. "Unexpected end of JSON input" or "... at position 12".
        detail: `The request body is not valid JSON: ${error.message}`,
        cause: error,
      });
    case 'entity.too.large':
      return new ProblemException({
        status: 413,
        slug: 'payload-too-large',
        detail:
          error.limit === undefined
            ? 'The request body is too large.'
            : `The request body exceeds the limit of ${error.limit} bytes.`,
        cause: error,
      });
    case 'charset.unsupported':
      return new ProblemException({
        status: 415,
        slug: 'unsupported-media-type',
        detail: `Unsupported charset '${error.charset ?? ''}': send UTF-8.`,
        cause: error,
      });
    case 'encoding.unsupported':
      return new ProblemException({
        status: 415,
        slug: 'unsupported-media-type',
        detail: `Unsupported content encoding '${error.encoding ?? ''}'.`,
        cause: error,
      });
    case 'request.aborted':
    case 'request.size.invalid':
      return new ProblemException({ status: 400, slug: 'bad-request', detail: 'The request body was incomplete.', cause: error });
    default: {
      const status = error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 500;
      return new ProblemException({ status, detail: status === 500 ? undefined : error.message, cause: error });
    }
  }
}

/**
 * Request bodies: Fastify parses none itself (every media type is accepted and left unread, so a handler can stream
 * it, e.g. results-ingest's XML); JSON bodies (application/json and application/*+json, gzip/deflate inflated) are
 * parsed up to HTTP_BODY_LIMIT before validation, and parser errors become problems (400 malformed-json, 413, 415).
 * The parser's callback is bound to the caller's async context, so the handler keeps the request's correlation id
 * whatever the parser does with the body stream's events.
 */
export function installBodyParsing(fastify: FastifyInstance, limit: string | number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const parse = bodyParser.json({ limit, type: JSON_MEDIA_TYPES });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      done();
      return;
    }
    const raw = request.raw as IncomingMessage & { body?: unknown };
    parse(
      raw,
      reply.raw,
      AsyncResource.bind((error?: unknown) => {
        if (error !== undefined && error !== null) {
          done(isBodyParserError(error) ? problemFromBodyParserError(error) : (error as Error));
          return;
        }
        if (raw.body !== undefined) request.body = raw.body;
        done();
      }),
    );
  });
}

/** True when the request's Content-Type is one of `types` (`application/*+json` style wildcards allowed). */
export function requestIs(request: { raw: IncomingMessage }, types: string[]): boolean {
  return typeof typeis(request.raw, types) === 'string';
}
