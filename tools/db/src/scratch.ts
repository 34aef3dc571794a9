import { randomBytes } from 'node:crypto';
import { describeSqlError, dropDatabase, ensureDatabase, withDatabase } from '@podium/platform';
import { Client } from 'pg';
import { introspect } from './introspect';
import type { DbSchema } from './model';

/** Runs `fn` with a new, empty database on the server of `serverUrl`; drops it afterwards whatever happens. */
export async function withScratchDatabase<T>(serverUrl: string, label: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `podium_shadow_${label.replace(/[^A-Za-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`.slice(0, 63);
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  try {
    return await fn(url);
  } finally {
    await dropDatabase(url);
  }
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs a script in one transaction, as the migration runner would; a failure names `what` and the failing line. */
export async function runScript(url: string, script: string, what: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(script);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`${what} does not apply: ${describeSqlError(error, script)}`, { cause: error });
    }
  });
}

export async function introspectDatabase(url: string): Promise<DbSchema> {
  return withClient(url, (client) => introspect(client));
}
