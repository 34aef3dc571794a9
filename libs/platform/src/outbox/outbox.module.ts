import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { OUTBOX_OPTIONS, type OutboxModuleOptions, resolveOutboxOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

export interface OutboxModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  /** Receives the `inject`ed providers, in order. */
  useFactory: (...args: never[]) => OutboxModuleOptions | Promise<OutboxModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
}

/**
 * Transactional outbox: `OutboxWriter` (enqueue in the caller's transaction) and `OutboxRelay` (started on application
 * bootstrap, stopped before shutdown). Requires `NatsModule` (global) in the application.
 */
@Module({})
export class OutboxModule {
  /** The outbox of a service built on PlatformModule, in its own database (DATABASE_URL). */
  static forService(options: Omit<OutboxModuleOptions, 'databaseUrl'> = {}): DynamicModule {
    return OutboxModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: PlatformConfig) => ({ ...options, databaseUrl: config.DATABASE_URL }),
    });
  }

  static forRootAsync(options: OutboxModuleAsyncOptions): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: OUTBOX_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) =>
            resolveOutboxOptions(await options.useFactory(...(args as never[]))),
        },
        OutboxWriter,
        OutboxRelay,
      ],
      exports: [OUTBOX_OPTIONS, OutboxWriter, OutboxRelay],
    };
  }
}
