import { Global, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { InjectConfig } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { installBodyParsing } from './body-parser';
import { EtagInterceptor, installConditionalGet } from './etag';
import { fastifyOf } from './fastify';
import { HotReads } from './hot-reads';
import { ProblemDetailsFilter } from './problem.filter';

/**
 * The HTTP edge of a service: problem+json for every error (a global filter; Nest also routes what is rejected
 * before a handler runs, e.g. a body over HTTP_BODY_LIMIT, through it), JSON body parsing, and 304s for GETs whose
 * ETag the client has; hot public reads answered from memory before Nest's pipeline (HotReads).
 */
@Global()
@Module({
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }, EtagInterceptor, HotReads],
  exports: [EtagInterceptor, HotReads],
})
export class HttpPlatformModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectConfig() private readonly config: PlatformConfig,
    private readonly hotReads: HotReads,
  ) {}

  configure(): void {
    const fastify = fastifyOf(this.adapterHost);
    installBodyParsing(fastify, this.config.HTTP_BODY_LIMIT);
    installConditionalGet(fastify);
    this.hotReads.install(fastify);
  }
}
