import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * What this service adds to the platform's app setup (main.ts and the tests): CORS for the public reads, so that the
 * widget and web apps on other origins can use REST and EventSource (no cookies are involved: tokens travel in the
 * Authorization header), with the caching headers exposed.
 */
export function configureDistributionApp(app: NestExpressApplication): void {
  app.enableCors({
    origin: '*',
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'If-None-Match', 'Last-Event-ID', 'Content-Type', 'x-correlation-id'],
    exposedHeaders: ['ETag', 'Cache-Control', 'x-correlation-id'],
    maxAge: 600,
  });
}
