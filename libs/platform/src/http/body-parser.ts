import { Injectable, type NestMiddleware } from '@nestjs/common';
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import { InjectConfig } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
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
 * Parses JSON bodies (application/json and application/*+json) up to HTTP_BODY_LIMIT and turns
 * parser errors into problems. It runs after the correlation/logging/metrics middleware; its
 * callback is bound to the caller's async context, so the handler keeps the request's correlation
 * id whatever the parser does with the body stream's events.
 */
@Injectable()
export class JsonBodyParserMiddleware implements NestMiddleware {
  private readonly parse: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

  constructor(@InjectConfig() config: PlatformConfig) {
    this.parse = express.json({ limit: config.HTTP_BODY_LIMIT, type: JSON_MEDIA_TYPES });
  }

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const resume = AsyncResource.bind((error?: unknown) => {
      if (error === undefined || error === null) next();
      else next(isBodyParserError(error) ? problemFromBodyParserError(error) : error);
    });
    this.parse(req, res, resume);
  }
}
