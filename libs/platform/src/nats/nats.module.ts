import {
  type DynamicModule,
  Global,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { NATS_OPTIONS } from './nats.constants';
import { NatsConnectionService } from './nats.connection';
import { NatsConsumerRunner } from './nats.consumer';
import { type NatsModuleOptions, resolveNatsOptions } from './nats.options';
import { NatsPublisher } from './nats.publisher';
import { NatsRpc } from './nats.rpc';

export interface NatsModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  /** Receives the `inject`ed providers, in order. */
  useFactory: (...args: never[]) => NatsModuleOptions | Promise<NatsModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
}

/**
 * NATS + JetStream for a service (global: import it once in the root module).
 *
 * ```ts
 * NatsModule.forRootAsync({
 *   inject: [AppConfig],
 *   useFactory: (config: AppConfig) => ({
 *     servers: config.natsUrl, name: config.serviceName, prefix: config.natsPrefix,
 *     streams: streams.filter((s) => s.name === 'SCHEDULES'),
 *   }),
 * })
 * ```
 */
@Global()
@Module({})
export class NatsModule {
  static forRootAsync(options: NatsModuleAsyncOptions): DynamicModule {
    const exported = [NatsConnectionService, NatsPublisher, NatsConsumerRunner, NatsRpc];
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
