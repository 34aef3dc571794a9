import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import {
  type AnyConfigSchema,
  type ConfigDefaults,
  type ConfigDefinition,
  type EnvSource,
  defineConfig,
  isConfigDefinition,
} from '../config/config.define';
import { ConfigModule } from '../config/config.module';
import { platformConfigSchema } from '../config/platform.config';
import { HealthModule } from '../health/health.module';
import type { HealthModuleOptions } from '../health/health.controller';
import { HttpPlatformModule } from '../http/http-platform.module';
import { LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { TracingModule } from '../tracing/tracing.module';
import type { MetricsModuleOptions } from '../metrics/metrics.service';

export interface PlatformModuleOptions<S extends AnyConfigSchema> {
  /** The service's config: `platformConfigSchema` or an extension of it (schema or defineConfig()). */
  config: S | ConfigDefinition<S>;
  /** Per-service defaults, e.g. `{ SERVICE_NAME: 'schedules', PORT: 3001 }`. */
  defaults?: ConfigDefaults<S>;
  /** Variables to read instead of process.env (tests). */
  env?: EnvSource;
  logging?: { destination?: DestinationStream };
  health?: HealthModuleOptions;
  metrics?: MetricsModuleOptions;
}

/**
 * Everything a Podium service gets from the platform, in one import (put it first in the root
 * module's imports): typed config (CONFIG / @InjectConfig()), pino logging with correlation ids,
 * /health/{startup,ready,live} with HealthRegistry, /metrics with MetricsService, problem+json
 * errors and JSON body parsing. Create the app with bootstrapService (or PLATFORM_APP_OPTIONS).
 */
@Module({})
export class PlatformModule {
  static forRoot<S extends AnyConfigSchema>(options: PlatformModuleOptions<S>): DynamicModule {
    const definition = isConfigDefinition(options.config) ? options.config : defineConfig(options.config);
    const missing = Object.keys(platformConfigSchema.shape).filter((key) => !(key in definition.schema.shape));
    if (missing.length > 0) {
      throw new Error(`PlatformModule: the config schema must extend platformConfigSchema (missing ${missing.join(', ')})`);
    }
    return {
      module: PlatformModule,
      // Order matters: global modules' middleware runs in this order (correlation id, request
      // log, the request's span when tracing is on, metrics, then body parsing).
      imports: [
        ConfigModule.forRoot(definition, { defaults: options.defaults, env: options.env }),
        LoggingModule.forRoot(options.logging),
        TracingModule,
        MetricsModule.forRoot(options.metrics),
        HealthModule.forRoot(options.health),
        HttpPlatformModule,
      ],
    };
  }
}
