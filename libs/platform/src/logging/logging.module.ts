import { type DynamicModule, Inject, Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { DestinationStream, Logger } from 'pino';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { fastifyOf } from '../http/fastify';
import { createLogger } from './logger.options';
import { PlatformLogger } from './platform-logger';
import { installAccessLog, installCorrelation } from './request-hooks';

export interface LoggingModuleOptions {
  /** Where log lines go; stdout when omitted (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/** The service's pino logger (inject it with `@Inject(ROOT_LOGGER)` where Nest's Logger does not fit). */
export const ROOT_LOGGER = Symbol.for('podium.platform.root-logger');

/**
 * JSON logs with pino: `service` and `correlationId` on every line, an access line per HTTP request (successes at
 * debug; probes and scrapes never), credentials redacted. Global; needs ConfigModule (SERVICE_NAME, LOG_LEVEL). Use
 * Nest's `Logger`, which the app routes to pino (configureApp).
 */
@Module({})
export class LoggingModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(options: LoggingModuleOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      providers: [
        {
          provide: ROOT_LOGGER,
          inject: [CONFIG],
          useFactory: (config: PlatformConfig) =>
            createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL, destination: options.destination }),
        },
        { provide: PlatformLogger, inject: [ROOT_LOGGER], useFactory: (logger: Logger) => new PlatformLogger(logger) },
      ],
      exports: [ROOT_LOGGER, PlatformLogger],
    };
  }

  /** Runs before the routes are registered (PlatformModule imports this module first): its hooks come first. */
  configure(): void {
    const fastify = fastifyOf(this.adapterHost);
    installCorrelation(fastify);
    installAccessLog(fastify, this.logger);
  }
}
