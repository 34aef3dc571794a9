import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { applyMigrations, describeDatabaseUrl, dropDatabase, ensureDatabase, withDatabase } from '@podium/platform';
import { Client } from 'pg';
import { z } from 'zod';
import { isDockerAvailable } from './docker';
import { workspaceRoot } from './workspace';

/** The local server used when there is no Docker engine. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const POSTGRES_IMAGE = 'postgres:15-alpine';

export interface PostgresServer {
  /** A URL of the server's `postgres` database; other databases are reached with withDatabase(). */
  url: string;
  source: 'testcontainers' | 'local';
}

export interface TestDatabase {
  /** postgres://... of the new database: hand it to the code under test as DATABASE_URL. */
  url: string;
  name: string;
  /** Drops the database (disconnecting its sessions). Safe to call twice. */
  drop(): Promise<void>;
}

const optionsSchema = z
  .object({
    /** A service of apps/: its prisma/migrations are applied. */
    service: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a service is a folder name of apps/, e.g. "schedules"').optional(),
    /** Or any Prisma migrations directory. */
    migrationsDir: z.string().min(1).optional(),
  })
  .refine((o) => o.service !== undefined || o.migrationsDir !== undefined, 'Pass { service } or { migrationsDir }');
export type CreateTestDatabaseOptions = z.input<typeof optionsSchema>;

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
    return { url: withDatabase(container.getConnectionUri(), 'postgres'), source: 'testcontainers' };
  }
  const url = withDatabase(env['TEST_DATABASE_URL'] || env['DATABASE_URL'] || DEFAULT_TEST_DATABASE_URL, 'postgres');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL, and there is none: no Docker engine answers (DOCKER_HOST, /var/run/docker.sock) ` +
        `and ${describeDatabaseUrl(url)} (TEST_DATABASE_URL / DATABASE_URL, default ${DEFAULT_TEST_DATABASE_URL}) refuses: ` +
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

/**
 * A new, uniquely named database (podium_t_<service>_<random>) with the service's migrations applied,
 * for one test file: create it in beforeAll, drop it in afterAll. Test files running in parallel never share one.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions): Promise<TestDatabase> {
  const { service, migrationsDir } = optionsSchema.parse(options);
  const dir = migrationsDir ?? join(workspaceRoot(), 'apps', service ?? '', 'prisma', 'migrations');
  const { url: serverUrl } = await postgresServer();
  const name = `podium_t_${(service ?? 'db').replace(/-/g, '_')}_${randomBytes(5).toString('hex')}`.slice(0, 63);
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  const drop = async (): Promise<void> => {
    await dropDatabase(url);
  };
  try {
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url, name, drop };
}
