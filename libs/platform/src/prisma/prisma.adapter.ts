import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { tracePgPool } from '../tracing/tracing.pg';
import { parseDatabaseUrl, searchPathOption } from './prisma.url';

export interface PrismaAdapterOptions {
  /** Pool size. Default 10. */
  max?: number;
  /** How long to wait for a pooled connection. Default 5 s. */
  connectionTimeoutMs?: number;
  /** Idle connections are closed after this. Default 30 s. */
  idleTimeoutMs?: number;
  /** Called on errors of idle pool clients (e.g. the server restarted); the pool replaces them. */
  onPoolError?: (err: Error) => void;
}

/**
 * The driver adapter for a service's generated Prisma client (Prisma 7): `new PrismaClient({ adapter })`.
 * Honours Prisma's `?schema=` URL parameter, for model queries and for raw SQL (search_path). The adapter runs on a
 * `pg` pool of ours (ended with the client), whose queries are traced when tracing is on (tracePgPool).
 */
export function createPrismaAdapter(databaseUrl: string, options: PrismaAdapterOptions = {}): PrismaPg {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const pool = new Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    options: searchPathOption(schema),
  });
  tracePgPool(pool);
  return new PrismaPg(pool, { schema, onPoolError: options.onPoolError, disposeExternalPool: true });
}
