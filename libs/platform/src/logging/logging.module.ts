import { type DynamicModule, Module, type MiddlewareConsumer, type NestModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { CorrelationIdMiddleware } from './correlation.middleware';
import { createPinoHttpOptions } from './logger.options';

export interface LoggingModuleOptions {
  /** Where log lines go; stdout when omitted (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/**
 * JSON logs with pino (nestjs-pino): `service` and `correlationId` on every line, one line per HTTP
 * request (health and metrics excluded), authorization/cookie headers redacted. Global; needs
 * ConfigModule (SERVICE_NAME, LOG_LEVEL). Inject `PinoLogger`/`Logger` from nestjs-pino, or use
 * Nest's `Logger`, which the app routes to pino.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(options: LoggingModuleOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [CONFIG],
          useFactory: (config: PlatformConfig) => {
            const httpOptions = createPinoHttpOptions({
              service: config.SERVICE_NAME,
              level: config.LOG_LEVEL,
              destination: options.destination,
            });
            return { pinoHttp: options.destination ? [httpOptions, options.destination] : httpOptions };
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }

  /** Registered before nestjs-pino's middleware (this module is scanned first), so pino-http sees the id. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
