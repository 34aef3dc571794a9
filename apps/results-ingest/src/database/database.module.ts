import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CONFIG, createPrismaAdapter, HealthRegistry, PrismaLifecycle, redactDatabaseUrl } from '@podium/platform';
import type { ResultsIngestConfig } from '../app/config';
import { PrismaService } from './prisma.service';

/** Connects the service's Prisma client at boot (fail fast), registers the `db` readiness check, disconnects last. */
@Injectable()
class PrismaLifecycleHooks implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly prisma: PrismaService,
    private readonly health: HealthRegistry,
    @Inject(CONFIG) private readonly config: ResultsIngestConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await PrismaLifecycle.connect(this.prisma, { target: redactDatabaseUrl(this.config.DATABASE_URL), attempts: 5 });
    PrismaLifecycle.registerHealth(this.health, this.prisma);
  }

  // After the outbox relay and consumers stopped (beforeApplicationShutdown).
  async onApplicationShutdown(): Promise<void> {
    await PrismaLifecycle.disconnect(this.prisma);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [CONFIG],
      useFactory: (config: ResultsIngestConfig) => new PrismaService({ adapter: createPrismaAdapter(config.DATABASE_URL) }),
    },
    PrismaLifecycleHooks,
  ],
  exports: [PrismaService],
})
export class DatabaseModule {}
