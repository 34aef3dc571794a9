/**
 * The migration runner against the real PostgreSQL of the integration tests (@podium/test-servers's postgresServer:
 * Testcontainers when a Docker engine answers, else the local server). Every test gets its own database, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { postgresServer } from '@podium/test-servers';
import { applyMigrations, getMigrationStatus, PRISMA_MIGRATE_ADVISORY_LOCK } from './apply-migrations';
import { migrationChecksum } from './checksum';
import { dropDatabase, ensureDatabase } from './database';
import { withDatabase } from './database-url';
import { MigrationError } from './migration-error';

/** The test PostgreSQL server, found as every integration test finds it (Testcontainers or the local server). */
let server: string;
beforeAll(async () => {
  server = (await postgresServer()).url;
});

const INIT = `-- CreateTable
CREATE TABLE "team" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);
`;
const SECOND = `-- AlterTable
ALTER TABLE "team" ADD COLUMN     "noc" CHAR(3);
SELECT pg_sleep(0.2);
`;
const THIRD = `-- CreateTable
CREATE TABLE "athlete" ("id" INTEGER NOT NULL, "team_id" INTEGER NOT NULL REFERENCES "team"("id"), CONSTRAINT "athlete_pkey" PRIMARY KEY ("id"));
`;

describe('applyMigrations (PostgreSQL)', () => {
  let dir: string;
  let url: string;
  const logger = { info: jest.fn<void, [string]>(), warn: jest.fn<void, [string]>() };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podium-migrations-'));
    url = withDatabase(server, `podium_t_migrations_${randomBytes(4).toString('hex')}`);
    await ensureDatabase(url);
  });

  afterEach(async () => {
    await dropDatabase(url);
    await rm(dir, { recursive: true, force: true });
  });

  async function migration(name: string, script: string): Promise<void> {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'migration.sql'), script);
  }

  async function query<T extends object>(sql: string, params: unknown[] = [], database = url): Promise<T[]> {
    const client = new Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async function standardMigrations(): Promise<void> {
    await migration('20250101000000_init', INIT);
    await migration('20250102000000_noc', SECOND);
    await migration('20250103000000_athlete', THIRD);
  }

  it('applies every migration in order, records them like Prisma, and is idempotent', async () => {
    await standardMigrations();
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');

    const first = await applyMigrations({ databaseUrl: url, migrationsDir: dir, logger });
    expect(first).toEqual({ applied: ['20250101000000_init', '20250102000000_noc', '20250103000000_athlete'], alreadyApplied: 0 });
    expect(logger.info).toHaveBeenCalledWith(expect.stringContaining('applied migration 20250101000000_init'));

    const rows = await query<{ id: string; migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; logs: string | null; started_at: Date }>(
      'SELECT * FROM _prisma_migrations ORDER BY started_at',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    expect(rows[0]).toMatchObject({ checksum: migrationChecksum(INIT), applied_steps_count: 1, logs: null });
    for (const r of rows) {
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.finished_at!.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
    }
    const noc = await query<{ data_type: string }>("SELECT data_type FROM information_schema.columns WHERE table_name = 'team' AND column_name = 'noc'");
    expect(noc).toEqual([{ data_type: 'character' }]);

    const second = await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    expect(second).toEqual({ applied: [], alreadyApplied: 3 });
    expect(await query('SELECT 1 FROM _prisma_migrations')).toHaveLength(3);
  });

  it('creates _prisma_migrations with the columns and types of Prisma', async () => {
    await migration('20250101000000_init', INIT);
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null; column_default: string | null }>(
      `SELECT column_name, data_type, is_nullable, character_maximum_length, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 36, column_default: null },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 64, column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES', character_maximum_length: null, column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 255, column_default: null },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES', character_maximum_length: null, column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES', character_maximum_length: null, column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO', character_maximum_length: null, column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO', character_maximum_length: null, column_default: '0' },
    ]);
  });

  it('applies each migration once when two migrators run at the same time', async () => {
    await standardMigrations();
    const [a, b] = await Promise.all([
      applyMigrations({ databaseUrl: url, migrationsDir: dir }),
      applyMigrations({ databaseUrl: url, migrationsDir: dir }),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual(['20250101000000_init', '20250102000000_noc', '20250103000000_athlete'].sort());
    const rows = await query<{ migration_name: string; n: string }>('SELECT migration_name, count(*) AS n FROM _prisma_migrations GROUP BY migration_name');
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.n === '1')).toBe(true);
  });

  it('refuses to deploy when an applied migration was edited, naming it', async () => {
    await standardMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await writeFile(join(dir, '20250102000000_noc', 'migration.sql'), SECOND.replace('CHAR(3)', 'CHAR(4)'));
    await migration('20250104000000_later', 'CREATE TABLE "later" ("id" INTEGER);\n');

    const error = await applyMigrations({ databaseUrl: url, migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', migrations: ['20250102000000_noc'] });
    expect((error as Error).message).toMatch(/modified after they were applied: 20250102000000_noc/);
    expect(await query("SELECT to_regclass('later') AS t")).toEqual([{ t: null }]);
  });

  it('rolls a failing migration back entirely, records nothing for it and says where it failed', async () => {
    await migration('20250101000000_init', INIT);
    await migration('20250102000000_broken', 'CREATE TABLE "half" ("id" INTEGER);\nINSERT INTO "team" ("name") VALUES (\'x\');\nCREATE TABL "oops" ();\n');
    await migration('20250103000000_after', 'CREATE TABLE "after" ("id" INTEGER);\n');

    const error = await applyMigrations({ databaseUrl: url, migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', migrations: ['20250102000000_broken'] });
    expect((error as Error).message).toContain('Migration 20250102000000_broken failed and was rolled back');
    expect((error as Error).message).toContain('ERROR 42601: syntax error at or near "TABL" (line 3: CREATE TABL "oops" ();)');

    expect(await query("SELECT to_regclass('half') AS half, to_regclass('after') AS after")).toEqual([{ half: null, after: null }]);
    expect(await query('SELECT count(*)::int AS n FROM team')).toEqual([{ n: 0 }]);
    expect(await query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations')).toEqual([
      { migration_name: '20250101000000_init' },
    ]);

    // Never applied, so it can be fixed in place and deployed again.
    await writeFile(join(dir, '20250102000000_broken', 'migration.sql'), 'CREATE TABLE "half" ("id" INTEGER);\n');
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: dir })).toEqual({
      applied: ['20250102000000_broken', '20250103000000_after'],
      alreadyApplied: 1,
    });
  });

  it('refuses to go on after a failed migration Prisma left behind, until it is marked rolled back', async () => {
    await standardMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await query('DELETE FROM _prisma_migrations WHERE migration_name = $1', ['20250103000000_athlete']);
    await query('DROP TABLE athlete');
    await query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, '20250103000000_athlete', 'relation "x" does not exist', now(), 0)`,
      [migrationChecksum(THIRD)],
    );

    const error = await applyMigrations({ databaseUrl: url, migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PREVIOUS_MIGRATION_FAILED', migrations: ['20250103000000_athlete'] });
    expect((error as Error).message).toMatch(/20250103000000_athlete .*relation "x" does not exist/);
    expect((error as Error).message).toContain('prisma migrate resolve --rolled-back');

    await query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20250103000000_athlete'");
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: dir })).toEqual({ applied: ['20250103000000_athlete'], alreadyApplied: 2 });
  });

  it('waits for the lock held by another migrator and gives up after lockTimeoutMs', async () => {
    await migration('20250101000000_init', INIT);
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
      const error = await applyMigrations({ databaseUrl: url, migrationsDir: dir, lockTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT' });

      const waiting = applyMigrations({ databaseUrl: url, migrationsDir: dir, lockTimeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
      expect(await waiting).toEqual({ applied: ['20250101000000_init'], alreadyApplied: 0 });
    } finally {
      await holder.end();
    }
  });

  it('uses the schema named by ?schema=, like Prisma', async () => {
    await migration('20250101000000_init', INIT);
    await applyMigrations({ databaseUrl: `${url}?schema=games`, migrationsDir: dir });
    expect(await query("SELECT to_regclass('games._prisma_migrations') AS m, to_regclass('games.team') AS t, to_regclass('public.team') AS p")).toEqual([
      { m: 'games._prisma_migrations', t: 'games.team', p: null },
    ]);
    expect(await getMigrationStatus({ databaseUrl: `${url}?schema=games`, migrationsDir: dir })).toMatchObject({ applied: ['20250101000000_init'], pending: [] });
  });

  it('reports applied and pending migrations, also for a database that does not exist yet', async () => {
    await standardMigrations();
    const missing = withDatabase(server, `podium_t_missing_${randomBytes(4).toString('hex')}`);
    expect(await getMigrationStatus({ databaseUrl: missing, migrationsDir: dir })).toMatchObject({
      databaseExists: false,
      applied: [],
      pending: ['20250101000000_init', '20250102000000_noc', '20250103000000_athlete'],
    });
    expect(await getMigrationStatus({ databaseUrl: url, migrationsDir: dir })).toMatchObject({ databaseExists: true, applied: [], failed: [] });

    await rm(join(dir, '20250103000000_athlete'), { recursive: true });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await migration('20250103000000_athlete', THIRD);
    expect(await getMigrationStatus({ databaseUrl: url, migrationsDir: dir })).toMatchObject({
      applied: ['20250101000000_init', '20250102000000_noc'],
      pending: ['20250103000000_athlete'],
      modified: [],
      missingLocally: [],
    });
  });
});

describe('ensureDatabase / dropDatabase', () => {
  it('creates a missing database once, even when called concurrently, and drops it', async () => {
    const url = withDatabase(server, `podium_t_ensure_${randomBytes(4).toString('hex')}`);
    try {
      const results = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await ensureDatabase(url)).toEqual({ created: false });
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.end();
    } finally {
      expect(await dropDatabase(url)).toEqual({ dropped: true });
    }
    expect(await dropDatabase(url)).toEqual({ dropped: false });
  });

  it('fails with a clear message when the server is unreachable', async () => {
    const error = await ensureDatabase('postgres://postgres:secret@127.0.0.1:1/nope').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED' });
    expect((error as Error).message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/postgres: /);
    expect((error as Error).message).not.toContain('secret');
  });
});
