import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { PrismaPg } from '@prisma/adapter-pg';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { HealthRegistry } from '../health/health.registry';
import { createPrismaAdapter } from './prisma.adapter';
import { PrismaLifecycle, type PrismaClientLike } from './prisma.lifecycle';
import { redactDatabaseUrl } from './prisma.url';

/** A service's generated Prisma client class (e.g. `class PrismaService extends PrismaClient {}`). */
export type PrismaClientClass<T extends PrismaClientLike> = new (options: { adapter: PrismaPg }) => T;

const PRISMA_CLIENT = Symbol.for('podium.platform.prisma-client');

/** Connects at boot (fail fast), registers the `db` readiness check, and disconnects last. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly client: PrismaClientLike,
    private readonly health: HealthRegistry,
    @Inject(CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await PrismaLifecycle.connect(this.client, { target: redactDatabaseUrl(this.config.DATABASE_URL), attempts: 5 });
    PrismaLifecycle.registerHealth(this.health, this.client);
  }

  // onApplicationShutdown, not onModuleDestroy: consumers and the outbox relay stop in beforeApplicationShutdown
  // and may still need the database until then.
  async onApplicationShutdown(): Promise<void> {
    await PrismaLifecycle.disconnect(this.client);
  }
}

/**
 * The service's one Prisma client over `@prisma/adapter-pg`, built from DATABASE_URL, injectable by its class:
 * `DatabaseModule.forClient(PrismaService)` (global). Needs PlatformModule (CONFIG, HealthRegistry).
 */
@Module({})
export class DatabaseModule {
  static forClient<T extends PrismaClientLike>(clientClass: PrismaClientClass<T>): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: clientClass,
          inject: [CONFIG],
          useFactory: (config: PlatformConfig) => {
            // An idle pooled connection ended by the server (a restart, a failover) is replaced by the pool: logged, never fatal.
            const logger = new Logger('Database');
            const onPoolError = (err: Error): void => logger.warn(`Database pool connection error: ${err.message}`);
            return new clientClass({ adapter: createPrismaAdapter(config.DATABASE_URL, { onPoolError }) });
          },
        },
        { provide: PRISMA_CLIENT, useExisting: clientClass },
        DatabaseLifecycle,
      ],
      exports: [clientClass],
    };
  }
}
