import { connectClient, sqlStateOf } from './connect';
import { databaseNameOf, quoteIdent, withDatabase } from './database-url';

/** The database `ensureDatabase`/`dropDatabase` connect to in order to create or drop another one. */
const MAINTENANCE_DATABASE = 'postgres';

/**
 * Creates the database named by `databaseUrl` when it does not exist yet (connecting to the `postgres`
 * database of the same server with the same credentials). Safe to call concurrently.
 */
export async function ensureDatabase(databaseUrl: string): Promise<{ created: boolean }> {
  const name = databaseNameOf(databaseUrl);
  const client = await connectClient(withDatabase(databaseUrl, MAINTENANCE_DATABASE));
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return { created: false };
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return { created: true };
    } catch (error) {
      // 42P04 duplicate_database; 23505 when two sessions race on pg_database's unique index.
      const state = sqlStateOf(error);
      if (state === '42P04' || state === '23505') return { created: false };
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Drops the database named by `databaseUrl` if it exists, disconnecting its sessions (PostgreSQL 13+). */
export async function dropDatabase(databaseUrl: string): Promise<{ dropped: boolean }> {
  const name = databaseNameOf(databaseUrl);
  if (name === MAINTENANCE_DATABASE) throw new Error(`Refusing to drop the maintenance database "${name}"`);
  const client = await connectClient(withDatabase(databaseUrl, MAINTENANCE_DATABASE));
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!existing.rowCount) return { dropped: false };
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    return { dropped: true };
  } finally {
    await client.end();
  }
}
