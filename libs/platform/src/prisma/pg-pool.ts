import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { parseDatabaseUrl, searchPathOption } from './prisma.url';
import { tracePgPool } from '../tracing/tracing.pg';

/** A connection inside a transaction opened by {@link PgPool.transaction}. */
export type PgTx = Pick<PoolClient, 'query'>;

export interface PgPoolOptions {
  /** The service's DATABASE_URL; its `?schema=` becomes the connections' search_path, as for Prisma. */
  databaseUrl: string;
  /** PostgreSQL's application_name of the connections (pg_stat_activity), e.g. `results-ingest-intake`. */
  applicationName: string;
  /** Plan every named statement once per connection (`plan_cache_mode=force_generic_plan`). Default false. */
  genericPlans?: boolean;
  /** Pool size. Default 10. */
  max?: number;
}

/**
 * A plain `pg` pool beside the service's Prisma client, for its hot paths: reads answered thousands of times a second
 * and short transactions of a few hand-written statements, written as named statements (prepared once per connection,
 * then only bound and executed). Prisma stays the client of everything else (every other read and write, its
 * transactions, the outbox); use the pool only where a measurement showed Prisma's per-query cost (query compiler and
 * interpreter, interactive-transaction bookkeeping: about 0.4-0.5 ms of CPU per query) to be most of the work, and say
 * so with the figure where the service registers it. A service gets it with `PgPoolModule.forRoot(...)`
 * (pg-pool.module.ts) and injects `PgPool`.
 *
 * No readiness check of its own and no connection at boot: the Prisma client's (DatabaseModule) cover the same
 * database. Connections are opened on demand; an idle one that fails (database restart) is replaced, not fatal.
 */
export class PgPool implements OnApplicationShutdown {
  private readonly logger = new Logger('PgPool');
  readonly pool: Pool;

  constructor(options: PgPoolOptions) {
    const { connectionString, schema } = parseDatabaseUrl(options.databaseUrl);
    this.pool = new Pool({
      connectionString,
      options: connectionOptions(schema, options.genericPlans ?? false),
      max: options.max ?? 10,
      application_name: options.applicationName,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      // A transaction left open (a bug, a hung request) must not hold its locks or its snapshot forever.
      idle_in_transaction_session_timeout: 60_000,
    });
    // An idle client failing (database restart) must not crash the process; the pool replaces it.
    this.pool.on('error', (err) => this.logger.warn(`Database pool connection error: ${err.message}`));
    // With tracing on, a span per query made within a request's or a message's span (docs/tracing.md).
    tracePgPool(this.pool);
  }

  /** Runs `work` in a transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: PgTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no listener of the pool's: a connection the server ends between two statements
    // (idle_in_transaction_session_timeout, a restart, pg_terminate_backend) would be an unhandled 'error' event
    // and crash the process. The work's next statement fails instead, and the connection is not reused.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
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
      client.off('error', onError);
      client.release(broken);
    }
  }

  // onApplicationShutdown, like the Prisma client's: consumers and the outbox relay stop in beforeApplicationShutdown.
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** The connections' startup options: the URL's schema as search_path, and generic plans when asked for. */
function connectionOptions(schema: string | undefined, genericPlans: boolean): string | undefined {
  // Generic plans suit statements whose conditions are served by the same plan whatever the values (equalities on
  // indexed columns); with OFFSET/LIMIT parameters PostgreSQL would otherwise keep planning each execution anew.
  const options = [searchPathOption(schema), genericPlans ? '-c plan_cache_mode=force_generic_plan' : undefined];
  return options.filter(Boolean).join(' ') || undefined;
}
