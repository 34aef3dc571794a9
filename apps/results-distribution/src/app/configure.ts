import type { PlatformApp } from '@podium/platform';

/**
 * What this service adds to the platform's app setup (main.ts and the tests): CORS for the public reads, so that the
 * widget and web apps on other origins can use REST and EventSource (no cookies are involved: tokens travel in the
 * Authorization header), with the caching headers exposed. On Fastify this is @fastify/cors, run in an onRequest hook
 * whose headers Nest's adapter also puts on the Node response, so the SSE stream (a hijacked reply) has them too.
 */
export function configureDistributionApp(app: PlatformApp): void {
  app.enableCors({
    origin: '*',
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'If-None-Match', 'Last-Event-ID', 'Content-Type', 'x-correlation-id'],
    exposedHeaders: ['ETag', 'Cache-Control', 'x-correlation-id'],
    maxAge: 600,
  });
}
