/**
 * The isolation helpers against the real services (Testcontainers when Docker answers, else the local
 * PostgreSQL and NATS started by `npm start`).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect, type NatsConnection, RetentionPolicy } from 'nats';
import { Client } from 'pg';
import { createTestNats, postgresServer, TcpProxy, type TestNats, waitFor } from '@podium/test-servers';
import { createTestDatabase, type TestDatabase } from './postgres';

const fixtures = join(__dirname, '__fixtures__', 'migrations');

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const { url } = await postgresServer();
  return withClient(url, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

describe('createTestDatabase', () => {
  it('creates a uniquely named, migrated database and drops it', async () => {
    const [a, b] = await Promise.all([createTestDatabase({ migrationsDir: fixtures }), createTestDatabase({ migrationsDir: fixtures })]);
    try {
      expect(a.name).toMatch(/^podium_t_db_[0-9a-f]{10}$/);
      expect(a.name).not.toBe(b.name);
      const rows = await withClient(a.url, async (c) => {
        await c.query("INSERT INTO probe (label) VALUES ('x')");
        return (await c.query('SELECT migration_name FROM _prisma_migrations')).rows;
      });
      expect(rows).toEqual([{ migration_name: '20250101000000_init' }]);
      expect(await withClient(b.url, async (c) => (await c.query('SELECT count(*)::int AS n FROM probe')).rows)).toEqual([{ n: 0 }]);
    } finally {
      await a.drop();
      await b.drop();
    }
    expect(await databaseExists(a.name)).toBe(false);
    await a.drop(); // twice is fine
  });

  it("finds a service's migrations under apps/<service>/prisma/migrations", async () => {
    const db: TestDatabase = await createTestDatabase({ service: 'schedules' });
    try {
      expect(db.name).toMatch(/^podium_t_schedules_/);
      expect(await databaseExists(db.name)).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('drops the database again when the migrations fail', async () => {
    await expect(createTestDatabase({ service: 'zz-cleanup-check', migrationsDir: join(fixtures, 'missing') })).rejects.toThrow(/Migrations directory not found/);
    const { url } = await postgresServer();
    const left = await withClient(url, async (c) => (await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'podium_t_zz_cleanup_check_%'")).rows);
    expect(left).toEqual([]);
    await expect(createTestDatabase({} as never)).rejects.toThrow(/Pass \{ service \} or \{ migrationsDir \}/);
  });
});

describe('createTestNats', () => {
  let nats: TestNats;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await createTestNats();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc.close();
  });

  it('gives each call its own prefixes', async () => {
    const other = await createTestNats();
    expect(nats.prefix).toMatch(/^t[0-9a-f]{8}\.$/);
    expect(nats.namePrefix).toBe(nats.prefix.replace('.', '_'));
    expect(other.prefix).not.toBe(nats.prefix);
  });

  it('cleanup deletes the streams and consumers of its prefix and nothing else', async () => {
    const jsm = await nc.jetstreamManager();
    const foreign = `OTHER_${randomBytes(4).toString('hex')}`;
    await jsm.streams.add({ name: `${nats.namePrefix}SCHEDULES`, subjects: [`${nats.prefix}oms.schedules.v1.>`], retention: RetentionPolicy.Limits });
    await jsm.streams.add({ name: foreign, subjects: [`${foreign}.>`] });
    try {
      await jsm.consumers.add(foreign, { durable_name: `${nats.namePrefix}reader` });
      await jsm.consumers.add(foreign, { durable_name: `${foreign}_keeper` });
      const kv = await (await nc.jetstream()).views.kv(`${nats.namePrefix}cache`);
      await kv.put('k', 'v');

      await nats.cleanup();

      const streams: string[] = [];
      for await (const s of jsm.streams.list()) streams.push(s.config.name);
      expect(streams.filter((s) => s.startsWith(nats.namePrefix) || s.startsWith(`KV_${nats.namePrefix}`))).toEqual([]);
      expect(streams).toContain(foreign);
      const consumers: string[] = [];
      for await (const c of jsm.consumers.list(foreign)) consumers.push(c.name);
      expect(consumers).toEqual([`${foreign}_keeper`]);
    } finally {
      await jsm.streams.delete(foreign);
    }
  });
});

describe('TcpProxy in front of PostgreSQL', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    db = await createTestDatabase({ migrationsDir: fixtures });
  });
  beforeEach(async () => {
    proxy = await TcpProxy.forUrl(db.url);
  });
  afterEach(async () => {
    await proxy.close();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('stalls queries while paused and lets them finish on resume', async () => {
    const client = new Client({ connectionString: proxy.rewrite(db.url) });
    await client.connect();
    try {
      proxy.pause();
      let done = false;
      const query = client.query('SELECT 1 AS one').then((r) => {
        done = true;
        return r.rows;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      proxy.resume();
      expect(await query).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('cuts connections like a crashed server, and refuses new ones while down', async () => {
    const client = new Client({ connectionString: proxy.rewrite(db.url) });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await client.connect();
    proxy.dropConnections();
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await waitFor(() => proxy.connectionCount === 0, { description: 'the proxied connection to be gone' });

    proxy.refuseConnections();
    await expect(new Client({ connectionString: proxy.rewrite(db.url) }).connect()).rejects.toThrow();
    proxy.refuseConnections(false);
    const again = new Client({ connectionString: proxy.rewrite(db.url) });
    await again.connect();
    expect((await again.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await again.end();
  });
});
