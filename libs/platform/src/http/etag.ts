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
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { type Observable, map } from 'rxjs';
import type { HttpReply, HttpRequest } from './fastify';

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

export interface CachedBodyOptions {
  /** The strong ETag of these bytes, computed once per version of the data (not per request). */
  etag: string;
  cacheControl: string;
  /** Default application/json; charset=utf-8. */
  contentType?: string;
}

/**
 * Sends pre-serialised bytes with their ETag and Cache-Control, or a bodiless 304 when the request's If-None-Match
 * matches: the cheapest answer a service can give (no serialisation, no hashing per request). For handlers that use
 * `@Res()`.
 */
export function sendCached(request: HttpRequest, reply: HttpReply, body: string | Buffer, options: CachedBodyOptions): void {
  reply.header('ETag', options.etag).header('Cache-Control', options.cacheControl).header('Vary', 'Accept-Encoding');
  if (isConditionalMethod(request.method) && ifNoneMatchMatches(request.headers['if-none-match'], options.etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.code(200).header('Content-Type', options.contentType ?? 'application/json; charset=utf-8').send(body);
}

/**
 * A GET or HEAD answered 200 with an ETag the client already has (If-None-Match) becomes a bodiless 304, whatever
 * produced it (the `@Etag()` interceptor, a handler setting the header). Installed by HttpPlatformModule.
 */
export function installConditionalGet(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode !== 200 || !isConditionalMethod(request.method) || request.headers['if-none-match'] === undefined) {
      done(null, payload);
      return;
    }
    const etag = reply.getHeader('etag');
    if (typeof etag !== 'string' || !ifNoneMatchMatches(request.headers['if-none-match'], etag)) {
      done(null, payload);
      return;
    }
    reply.code(304);
    reply.removeHeader('content-length');
    reply.removeHeader('content-type');
    done(null, null);
  });
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
    const request = http.getRequest<HttpRequest>();
    const reply = http.getResponse<HttpReply>();
    const options =
      this.reflector.getAllAndOverride<EtagOptions | undefined>(ETAG_OPTIONS, [context.getHandler(), context.getClass()]) ??
      {};
    return next.handle().pipe(
      map((body: unknown) => {
        if (!isConditionalMethod(request.method) || body === undefined || reply.sent) return body;
        // The 304 itself is sent by the conditional-GET hook (installConditionalGet) when If-None-Match matches.
        reply.header('ETag', etagFor(body));
        reply.header('Cache-Control', options.cacheControl ?? 'no-cache');
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
