import type { INestApplication } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The HTTP stack of every service: Nest on its Fastify adapter. Chosen by measurement (tools/bench/http-stacks.ts,
 * docs/performance.md): the same pre-serialised answer costs about a third of the CPU it costs on Express.
 */
export type PlatformApp = NestFastifyApplication;
/** What `@Req()` gives a handler. The Node request is `req.raw`. */
export type HttpRequest = FastifyRequest;
/** What `@Res()` gives a handler. The Node response is `reply.raw`. */
export type HttpReply = FastifyReply;

/**
 * The adapter a platform app is created with (bootstrapService, and tests: `createNestApplication(createHttpAdapter(),
 * PLATFORM_APP_OPTIONS)`). Idle connections are kept longer than the proxies and clients in front of us keep them
 * (load balancers commonly 60 s), so the server never closes a socket a client is about to reuse; a trailing slash
 * routes like the path without it (as it did on Express); Fastify's own logger and request ids are off (the platform
 * logs, with the correlation id).
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    requestIdHeader: false,
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true },
  });
}

/** The Fastify instance under a platform app, for the platform's hooks; a clear error when the app is not on Fastify. */
export function fastifyOf(source: HttpAdapterHost | INestApplication): FastifyInstance {
  const adapter = 'httpAdapter' in source ? source.httpAdapter : source.getHttpAdapter();
  if (adapter?.getType() !== 'fastify') {
    throw new Error(
      'A Podium service runs on the Fastify adapter: create the application with bootstrapService, or in tests with ' +
        '`moduleRef.createNestApplication(createHttpAdapter(), PLATFORM_APP_OPTIONS)` (@podium/platform).',
    );
  }
  return adapter.getInstance<FastifyInstance>();
}

/** Route label of requests that matched no route (404s, bodies rejected before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

interface RoutedRequest {
  url: string;
  is404?: boolean;
  routeOptions?: { url?: string };
}

/** The route template ('/v1/units/:rsc'), never the raw URL (which would explode the cardinality of labels and logs). */
export function routeTemplate(request: RoutedRequest): string {
  const url = request.routeOptions?.url;
  return url === undefined || request.is404 === true ? UNMATCHED_ROUTE : url;
}
