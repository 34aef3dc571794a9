import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { type Observable, map } from 'rxjs';

/**
 * JSON.stringify with object keys sorted at every level, so equal values always serialise the
 * same way (toJSON is honoured; undefined members are dropped as JSON.stringify does).
 */
export function stableStringify(value: unknown): string {
  const normalise = (input: unknown): unknown => {
    const current =
      typeof input === 'object' && input !== null && typeof (input as { toJSON?: unknown }).toJSON === 'function'
        ? (input as { toJSON: () => unknown }).toJSON()
        : input;
    if (Array.isArray(current)) return current.map((item) => (item === undefined ? null : normalise(item)));
    if (typeof current !== 'object' || current === null) return current;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(current).sort()) {
      const item = (current as Record<string, unknown>)[key];
      if (item !== undefined && typeof item !== 'function') sorted[key] = normalise(item);
    }
    return sorted;
  };
  return JSON.stringify(normalise(value)) ?? 'null';
}

/** Strong ETag of a value: `"<sha256 base64url of its stable JSON>"`. */
export function etagFor(value: unknown): string {
  return `"${createHash('sha256').update(stableStringify(value)).digest('base64url')}"`;
}

/** True when an If-None-Match header matches `etag` (weak comparison, as RFC 9110 asks for If-None-Match). */
export function ifNoneMatchMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === wanted);
}

function isConditionalMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * For handlers that use `@Res()`: sends `body` as JSON with its ETag (and Cache-Control when
 * given), or a bodiless 304 when the request's If-None-Match matches.
 */
export function sendWithEtag(req: Request, res: Response, body: unknown, cacheControl?: string): void {
  const etag = etagFor(body);
  res.setHeader('ETag', etag);
  if (cacheControl !== undefined) res.setHeader('Cache-Control', cacheControl);
  if (isConditionalMethod(req.method) && ifNoneMatchMatches(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.json(body);
}

export const ETAG_OPTIONS = 'podium:etag';

export interface EtagOptions {
  /** Cache-Control of the response; default 'no-cache' (clients keep it but revalidate with If-None-Match). */
  cacheControl?: string;
}

/**
 * Sets a strong ETag (from the returned value) on GET/HEAD responses; the response becomes a
 * bodiless 304 when the request's If-None-Match matches it.
 */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const options =
      this.reflector.getAllAndOverride<EtagOptions | undefined>(ETAG_OPTIONS, [context.getHandler(), context.getClass()]) ??
      {};
    return next.handle().pipe(
      map((body: unknown) => {
        if (!isConditionalMethod(req.method) || body === undefined || res.headersSent) return body;
        const etag = etagFor(body);
        res.setHeader('ETag', etag);
        res.setHeader('Cache-Control', options.cacheControl ?? 'no-cache');
        // Nest sends the value with res.json()/res.send(), and Express turns a response whose ETag
        // matches If-None-Match (req.fresh) into a bodiless 304. req.fresh also honours a request's
        // `Cache-Control: no-cache` (fetch() adds it to every conditional request), a directive for caches,
        // not for the origin (RFC 9110 13.2.1): drop it when the validator matches so the 304 is sent.
        if (ifNoneMatchMatches(req.headers['if-none-match'], etag)) {
          delete req.headers['cache-control'];
          delete req.headers['pragma'];
        }
        return body;
      }),
    );
  }
}

/** Conditional GET for a route or controller: `@Etag({ cacheControl: 'public, max-age=5' })`. */
export const Etag = (options: EtagOptions = {}): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ETAG_OPTIONS, options),
    UseInterceptors(EtagInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous response' }),
    ApiResponse({ status: 304, description: 'Not modified: the If-None-Match ETag is current' }),
  );
