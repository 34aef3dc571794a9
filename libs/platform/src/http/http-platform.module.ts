import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { JsonBodyParserMiddleware } from './body-parser';
import { EtagInterceptor } from './etag';
import { ProblemDetailsFilter } from './problem.filter';

interface ExpressLayer {
  name?: string;
  handle?: { name?: string };
}

/**
 * The HTTP edge of a service: problem+json for every error (global filter) and JSON body parsing
 * limited by HTTP_BODY_LIMIT. Global, so its middleware runs before any service middleware.
 * The app must be created with `{ bodyParser: false }` (bootstrapService and PLATFORM_APP_OPTIONS do):
 * Nest's own parser would run first, with its own limit and error shapes.
 */
@Global()
@Module({
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }, EtagInterceptor],
  exports: [EtagInterceptor],
})
export class HttpPlatformModule implements NestModule {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  configure(consumer: MiddlewareConsumer): void {
    const instance: unknown = this.adapterHost.httpAdapter?.getInstance();
    const stack = (instance as { router?: { stack?: ExpressLayer[] } } | undefined)?.router?.stack ?? [];
    if (stack.some((layer) => layer.handle?.name === 'jsonParser' || layer.name === 'jsonParser')) {
      throw new Error(
        "Nest's default body parser is enabled: create the application with { bodyParser: false } " +
          '(use bootstrapService, or PLATFORM_APP_OPTIONS in tests); the platform parses JSON bodies itself.',
      );
    }
    consumer.apply(JsonBodyParserMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
