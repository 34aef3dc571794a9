import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, parseDatabaseUrl, type PlatformConfig, searchPathOption } from '@podium/platform';
import { Pool, type PoolClient } from 'pg';

/** A connection inside a transaction opened by {@link PgPool.transaction}. */
export type PgTx = Pick<PoolClient, 'query'>;

/**
 * A plain `pg` pool for the list reads (one named statement per list, built from its filters), the same class
 * as results-ingest's PgPool (apps/results-ingest/src/database/pg-pool.service.ts: a candidate for @podium/platform).
 * Prisma stays the client of everything else (every write, in its transactions); on the lists its per-query cost (query
 * compiler and interpreter, ~0.5 ms of CPU per query here, three queries for an entries list) was most of their CPU.
 */
@Injectable()
export class PgPool implements OnApplicationShutdown {
  private readonly logger = new Logger('PgPool');
  readonly pool: Pool;

  constructor(@Inject(CONFIG) config: PlatformConfig) {
    const { connectionString, schema } = parseDatabaseUrl(config.DATABASE_URL);
    this.pool = new Pool({
      connectionString,
      // Generic plans, planned once per connection and statement: the lists' conditions are equalities on indexed
      // columns, served by the same plan whatever the values, and with OFFSET/LIMIT parameters PostgreSQL would
      // otherwise keep planning each execution anew (~0.7 ms, more than running the statement).
      options: [searchPathOption(schema), '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
      max: 10,
      application_name: `${config.SERVICE_NAME}-reads`,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      // A transaction left open (a bug, a hung request) must not hold its snapshot forever.
      idle_in_transaction_session_timeout: 60_000,
    });
    // An idle client failing (database restart) must not crash the process; the pool replaces it.
    this.pool.on('error', (err) => this.logger.warn(`Database pool connection error: ${err.message}`));
  }

  /** Runs `work` in a transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: PgTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // The connection is unusable: drop it instead of returning it to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
