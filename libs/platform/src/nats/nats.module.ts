import {
  type DynamicModule,
  Global,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { NATS_OPTIONS } from './nats.constants';
import { NatsConnectionService } from './nats.connection';
import { NatsConsumerRunner } from './nats.consumer';
import { NatsMetrics } from './nats.metrics';
import { type NatsModuleOptions, resolveNatsOptions } from './nats.options';
import { NatsPublisher } from './nats.publisher';
import { NatsRpc } from './nats.rpc';

export interface NatsModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  /** Receives the `inject`ed providers, in order. */
  useFactory: (...args: never[]) => NatsModuleOptions | Promise<NatsModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
}

/** What a service gives NatsModule.forService: its streams, consumers and timings (the connection comes from config). */
export type ServiceNatsOptions = Omit<NatsModuleOptions, 'servers' | 'name' | 'user' | 'pass' | 'prefix'>;

/**
 * NATS + JetStream for a service (global: import it once in the root module). A service on PlatformModule gives its
 * streams and consumers (or a function of its config that returns them); the connection comes from the config:
 *
 * ```ts
 * NatsModule.forService({ streams: [schedulesStream] })
 * ```
 *
 * `forRootAsync` takes every option itself (servers, name, credentials, prefix), for a module without PlatformModule.
 */
@Global()
@Module({})
export class NatsModule {
  /**
   * NATS for a service built on PlatformModule: servers, name, user/password and prefix come from its config
   * (NATS_URL, SERVICE_NAME, NATS_USER, NATS_PASSWORD, NATS_PREFIX); the service gives its streams and consumers.
   */
  static forService<C extends PlatformConfig = PlatformConfig>(
    options: ServiceNatsOptions | ((config: C) => ServiceNatsOptions) = {},
  ): DynamicModule {
    return NatsModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: C) => ({
        servers: config.NATS_URL,
        name: config.SERVICE_NAME,
        user: config.NATS_USER,
        pass: config.NATS_PASSWORD,
        prefix: config.NATS_PREFIX,
        streamReplicas: config.NATS_STREAM_REPLICAS,
        declareStreams: config.NATS_DECLARE_STREAMS,
        ...(typeof options === 'function' ? options(config) : options),
      }),
    });
  }

  static forRootAsync(options: NatsModuleAsyncOptions): DynamicModule {
    const exported = [NatsConnectionService, NatsMetrics, NatsPublisher, NatsConsumerRunner, NatsRpc];
    return {
      module: NatsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: NATS_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) =>
            resolveNatsOptions(await options.useFactory(...(args as never[]))),
        },
        ...exported,
      ],
      exports: [NATS_OPTIONS, ...exported],
    };
  }
}
