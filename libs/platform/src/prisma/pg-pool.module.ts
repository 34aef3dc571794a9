import { type DynamicModule, Module } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { PgPool, type PgPoolOptions } from './pg-pool';

export interface PgPoolModuleOptions extends Pick<PgPoolOptions, 'genericPlans' | 'max'> {
  /**
   * What the pool serves, appended to SERVICE_NAME as its connections' application_name (`intake` in results-ingest:
   * `results-ingest-intake`), so that pg_stat_activity tells them from the Prisma client's.
   */
  purpose: string;
}

/**
 * The service's plain `pg` pool (see PgPool for when to use it instead of Prisma), over the same DATABASE_URL as its
 * Prisma client, injectable as `PgPool` (global, one instance per service):
 *
 * ```ts
 * DatabaseModule.forClient(PrismaService),
 * PgPoolModule.forRoot({ purpose: 'reads', genericPlans: true }),
 * ```
 *
 * Needs PlatformModule (CONFIG). The pool ends at application shutdown.
 */
@Module({})
export class PgPoolModule {
  static forRoot(options: PgPoolModuleOptions): DynamicModule {
    return {
      module: PgPoolModule,
      global: true,
      providers: [
        {
          provide: PgPool,
          inject: [CONFIG],
          useFactory: (config: PlatformConfig) =>
            new PgPool({
              databaseUrl: config.DATABASE_URL,
              applicationName: `${config.SERVICE_NAME}-${options.purpose}`,
              genericPlans: options.genericPlans,
              max: options.max,
            }),
        },
      ],
      exports: [PgPool],
    };
  }
}
