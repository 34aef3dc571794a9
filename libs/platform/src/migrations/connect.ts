import { Client } from 'pg';
import { clientConfig, describeDatabaseUrl } from './database-url';
import { MigrationError } from './migration-error';

/** Opens a `pg` client; a refused or failed connection becomes a MigrationError naming the server (never the password). */
export async function connectClient(databaseUrl: string, connectTimeoutMs = 10_000): Promise<Client> {
  const client = new Client(clientConfig(databaseUrl, { connectionTimeoutMillis: connectTimeoutMs }));
  // A server ending the session between two statements (a restart) must not crash `migrate` with an unhandled 'error'
  // event: the next query fails and becomes a MigrationError.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new MigrationError(
      'CONNECTION_FAILED',
      `Cannot connect to PostgreSQL at ${describeDatabaseUrl(databaseUrl)}: ${messageOf(error)}`,
      [],
      { cause: error },
    );
  }
  return client;
}

export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** PostgreSQL's SQLSTATE of an error raised by `pg`, if it is one. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
