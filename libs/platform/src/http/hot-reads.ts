import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type CachedBodyOptions, sendCached } from './etag';
import { fastifyOf, type HttpRequest } from './fastify';

/** What a hot read answers with: pre-serialised bytes and their ETag, made once per version of the data. */
export interface HotAnswer extends CachedBodyOptions {
  body: string | Buffer;
}

/**
 * Answers a GET of the route from memory, or `undefined` to let the route's controller handle the request (which
 * then validates, and answers 4xx, exactly as when there is no hot read). `request.params` and `request.query` are
 * as received, not validated: answer only for values the controller would accept with this very answer.
 */
export type HotReader = (request: HttpRequest) => HotAnswer | undefined;

/**
 * Hot public reads answered before Nest's pipeline (guards, pipes, interceptors): for a read that thousands of
 * clients repeat and that the service holds in memory, that pipeline costs several times the answer itself. The
 * route stays a normal controller route (its OpenAPI, its validation, its errors); `serve(route, reader)` adds a
 * Fastify preHandler that answers the requests the reader can answer, with the same bytes and headers the
 * controller gives, and passes every other request on. The correlation id, CORS, metrics, the access log and
 * conditional GETs apply as to any request.
 *
 * Only for routes that need no credentials (`@Public()`): a hot read skips the guards.
 */
@Injectable()
export class HotReads implements OnApplicationBootstrap {
  private readonly readers = new Map<string, HotReader>();
  private installed = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** `route` is the route's template as declared, e.g. '/v1/documents/:documentCode/:documentType'. */
  serve(route: string, reader: HotReader): void {
    if (this.readers.has(route)) throw new Error(`HotReads: ${route} is already served`);
    this.readers.set(route, reader);
  }

  /** Installed by HttpPlatformModule before the routes are registered. */
  install(fastify: FastifyInstance): void {
    if (this.installed) return;
    this.installed = true;
    fastify.addHook('preHandler', (request, reply, done) => {
      if (this.readers.size === 0 || (request.method !== 'GET' && request.method !== 'HEAD')) {
        done();
        return;
      }
      const reader = this.readers.get(request.routeOptions.url ?? '');
      const answer = reader?.(request);
      if (answer === undefined) {
        done();
        return;
      }
      sendCached(request, reply, answer.body, answer);
    });
  }

  /** A hot read of a route that does not exist is a typo: the service refuses to start. */
  onApplicationBootstrap(): void {
    const fastify = fastifyOf(this.adapterHost);
    for (const route of this.readers.keys()) {
      if (!fastify.hasRoute({ method: 'GET', url: route })) {
        throw new Error(`HotReads: no GET route ${route} (a hot read must serve a controller's route, with its template)`);
      }
    }
  }
}
