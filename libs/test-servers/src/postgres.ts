import { Client } from 'pg';
import { isDockerAvailable } from './docker';

/** The local server used when there is no Docker engine. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const POSTGRES_IMAGE = 'postgres:15-alpine';

export interface PostgresServer {
  /** A URL of the server's `postgres` database; other databases are reached with withDatabase(). */
  url: string;
  source: 'testcontainers' | 'local';
}

let server: Promise<PostgresServer> | undefined;

/**
 * The PostgreSQL server integration tests use, resolved once per test file (module): a Testcontainers
 * PostgreSQL 15 when a Docker engine answers (reused across test files), else the local server of
 * TEST_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). Fails with
 * instructions when there is neither: integration tests never skip silently.
 */
export function postgresServer(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  server ??= resolvePostgresServer(env).catch((error: unknown) => {
    server = undefined;
    throw error;
  });
  return server;
}

export async function resolvePostgresServer(env: NodeJS.ProcessEnv): Promise<PostgresServer> {
  if (await isDockerAvailable(env)) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(POSTGRES_IMAGE).withReuse().start();
    return { url: serverDatabaseUrl(container.getConnectionUri()), source: 'testcontainers' };
  }
  const url = serverDatabaseUrl(env['TEST_DATABASE_URL'] || env['DATABASE_URL'] || DEFAULT_TEST_DATABASE_URL);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL, and there is none: no Docker engine answers (DOCKER_HOST, /var/run/docker.sock) ` +
        `and ${withoutPassword(url)} (TEST_DATABASE_URL / DATABASE_URL, default ${DEFAULT_TEST_DATABASE_URL}) refuses: ` +
        `${error instanceof Error ? error.message : String(error)}.\n` +
        'Start it with `npm start` or `bash tools/dev/services.sh` (PostgreSQL and NATS; Docker when available), ' +
        'or on Debian/Ubuntu without Docker: `sudo pg_ctlcluster 15 main start`.',
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url, source: 'local' };
}

/** The same server's `postgres` database (tests create their own databases from there). */
function serverDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

/** The URL as it may be shown: no password. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '';
  return `${parsed.host}${parsed.pathname}`;
}
