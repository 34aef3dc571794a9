/**
 * PgPoolModule's pool against the integration tests' PostgreSQL (@podium/test-servers), in a database of its own
 * (dropped afterwards), with the tables in a schema named by the URL's `?schema=`.
 */
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { postgresServer } from '@podium/test-servers';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CONFIG } from '../config/config.module';
import { dropDatabase, ensureDatabase } from '../migrations/database';
import { withDatabase } from '../migrations/database-url';
import { PgPool } from './pg-pool';
import { PgPoolModule, type PgPoolModuleOptions } from './pg-pool.module';

const databaseName = `podium_it_pg_pool_${randomBytes(4).toString('hex')}`;
let databaseUrl: string;
/** Sees only what was committed. */
let db: Client;
const modules: TestingModule[] = [];

/** A service's module tree reduced to what the pool needs: CONFIG (global) and PgPoolModule. */
async function boot(options: PgPoolModuleOptions): Promise<{ module: TestingModule; pg: PgPool }> {
  @Global()
  @Module({
    providers: [
      { provide: CONFIG, useValue: { SERVICE_NAME: 'it-service', DATABASE_URL: `${databaseUrl}?schema=tenant_a` } },
    ],
    exports: [CONFIG],
  })
  class TestConfigModule {}

  const module = await Test.createTestingModule({
    imports: [TestConfigModule, PgPoolModule.forRoot(options)],
  }).compile();
  modules.push(module);
  return { module, pg: module.get(PgPool) };
}

async function setting(pg: PgPool, name: 'application_name' | 'plan_cache_mode'): Promise<string> {
  const { rows } = await pg.pool.query<Record<string, string>>(`SHOW ${name}`);
  return rows[0][name];
}

/** The codes committed to tenant_a.item, read on a connection of its own. */
async function committedCodes(): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>('SELECT code FROM tenant_a.item ORDER BY code');
  return rows.map((r) => r.code);
}

beforeAll(async () => {
  const { url: serverUrl } = await postgresServer();
  databaseUrl = withDatabase(serverUrl, databaseName);
  await ensureDatabase(databaseUrl);
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  // The same table name in public, empty: unqualified names must not resolve there.
  await db.query(
    'CREATE SCHEMA tenant_a; CREATE TABLE tenant_a.item (code TEXT PRIMARY KEY); CREATE TABLE public.item (code TEXT)',
  );
});

afterEach(async () => {
  await db.query('TRUNCATE tenant_a.item');
});

afterAll(async () => {
  for (const module of modules) await module.close();
  await db.end();
  await dropDatabase(databaseUrl);
});

describe('PgPoolModule', () => {
  it('connects as <SERVICE_NAME>-<purpose> in the schema of ?schema=', async () => {
    const { pg } = await boot({ purpose: 'intake' });
    await expect(setting(pg, 'application_name')).resolves.toBe('it-service-intake');
    const { rows } = await pg.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
    expect(rows).toEqual([{ schema: 'tenant_a' }]);
  });

  it('plans named statements generically only when asked to', async () => {
    const generic = await boot({ purpose: 'reads', genericPlans: true });
    await expect(setting(generic.pg, 'plan_cache_mode')).resolves.toBe('force_generic_plan');
    await expect(setting(generic.pg, 'application_name')).resolves.toBe('it-service-reads');
    const { rows } = await generic.pg.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
    expect(rows).toEqual([{ schema: 'tenant_a' }]);

    const custom = await boot({ purpose: 'intake' });
    await expect(setting(custom.pg, 'plan_cache_mode')).resolves.toBe('auto');
  });

  it('opens at most max connections and ends the pool when the application shuts down', async () => {
    const { module, pg } = await boot({ purpose: 'intake', max: 1 });
    const both = Promise.all([pg.pool.query('SELECT pg_sleep(0.05)'), pg.pool.query('SELECT 1')]);
    expect([pg.pool.totalCount, pg.pool.waitingCount]).toEqual([1, 1]);
    await both;
    modules.splice(modules.indexOf(module), 1);
    await module.close();
    expect(pg.pool.ended).toBe(true);
  });
});

describe('PgPool.transaction', () => {
  it('commits what the work wrote and returns its result', async () => {
    const { pg } = await boot({ purpose: 'intake' });
    const result = await pg.transaction(async (tx) => {
      await tx.query({ name: 'it-insert-item', text: 'INSERT INTO item (code) VALUES ($1)', values: ['ATH'] });
      await tx.query({ name: 'it-insert-item', text: 'INSERT INTO item (code) VALUES ($1)', values: ['SWM'] });
      return 'done';
    });
    expect(result).toBe('done');
    await expect(committedCodes()).resolves.toEqual(['ATH', 'SWM']);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'`,
      [databaseName],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('rolls back when the work throws, passes the error on, and the connection serves again', async () => {
    const { pg } = await boot({ purpose: 'intake', max: 1 });
    const failure = new Error('work failed');
    await expect(
      pg.transaction(async (tx) => {
        await tx.query('INSERT INTO item (code) VALUES ($1)', ['ATH']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(committedCodes()).resolves.toEqual([]);

    // A statement that fails inside the work aborts the transaction: rolled back as well, the error passed on.
    const duplicate = await pg
      .transaction(async (tx) => {
        await tx.query('INSERT INTO item (code) VALUES ($1)', ['SWM']);
        await tx.query('INSERT INTO item (code) VALUES ($1)', ['SWM']);
      })
      .catch((err: unknown) => err);
    expect(duplicate).toMatchObject({ code: '23505' });
    await expect(committedCodes()).resolves.toEqual([]);

    // The one connection went back to the pool outside any transaction.
    await pg.transaction((tx) => tx.query('INSERT INTO item (code) VALUES ($1)', ['ROW']));
    await expect(committedCodes()).resolves.toEqual(['ROW']);
    expect(pg.pool.totalCount).toBe(1);
  });

  it('survives the connection being killed in the middle of a transaction: the work fails, the process stays up', async () => {
    const { pg } = await boot({ purpose: 'killed', max: 1 });
    const outcome = pg
      .transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await db.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        // Between two statements the client learns its connection is gone ('error' event, no query pending).
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('SELECT 1');
      })
      .catch((err: unknown) => err);
    await expect(outcome).resolves.toBeInstanceOf(Error);
    // The dead connection was not returned to the pool: the next transaction gets a new one.
    await expect(pg.transaction((tx) => tx.query('SELECT 1 AS one'))).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});
