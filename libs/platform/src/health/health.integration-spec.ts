/**
 * /health/ready against the real dependencies: the platform's database check (the PrismaPg driver adapter a service's
 * Prisma client runs on) and NATS connection, each through a TcpProxy to the integration tests' PostgreSQL and NATS,
 * then a database dropped under the service (a PostgreSQL error with its SQL state and the database's name) and both
 * servers refusing connections (nothing listens on the proxies' ports). The probe's body carries only check names,
 * up/down and reason codes; the raw errors are in the log, once per change of a check.
 */
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { PrismaPg } from '@prisma/adapter-pg';
import { deleteJetStreamObjects, natsServer, postgresServer, TcpProxy, waitFor } from '@podium/test-servers';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { configureApp, PLATFORM_APP_OPTIONS } from '../bootstrap/bootstrap';
import { PlatformModule } from '../bootstrap/platform.module';
import { platformConfigSchema } from '../config/platform.config';
import { createHttpAdapter, type PlatformApp } from '../http/fastify';
import { withDatabase } from '../migrations/database-url';
import { NatsModule } from '../nats/nats.module';
import { DatabaseModule } from '../prisma/database.module';
import type { PrismaClientLike } from '../prisma/prisma.lifecycle';
import { AppLifecycle } from './app-lifecycle';

type AdapterConnection = Awaited<ReturnType<PrismaPg['connect']>>;

/** What the platform uses of a generated Prisma client, over the same driver adapter (a lib has no generated client). */
class AdapterClient implements PrismaClientLike {
  private connection: Promise<AdapterConnection> | undefined;

  constructor(private readonly options: { adapter: PrismaPg }) {}

  async $connect(): Promise<void> {
    await (this.connection ??= this.options.adapter.connect());
  }

  async $queryRawUnsafe(sql: string): Promise<unknown> {
    const connection = await (this.connection ??= this.options.adapter.connect());
    return connection.queryRaw({ sql, args: [], argTypes: [] });
  }

  async $disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await (await connection)?.dispose();
  }
}

interface LogLine {
  level: number;
  context?: string;
  msg?: string;
  check?: string;
  reason?: string;
  error?: string;
}

const id = randomBytes(4).toString('hex');
const databaseName = `podium_it_health_${id}`;
const prefix = `ith${id}.`;
const lines: LogLine[] = [];
const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };

let admin: Client;
let natsUrl: string;
let pgProxy: TcpProxy;
let natsProxy: TcpProxy;
/** The proxies' ports, kept: a closed proxy no longer has one. */
let pgPort: number;
let natsPort: number;
let app: PlatformApp | undefined;

function healthLines(check: string): LogLine[] {
  return lines.filter((line) => line.context === 'Health' && line.check === check);
}

async function probe(): Promise<request.Response> {
  if (!app) throw new Error('the app did not start (beforeAll failed?)');
  return request(app.getHttpServer()).get('/health/ready');
}

/** The body may name the checks and their codes; nothing of what PostgreSQL, pg or nats.js said. */
function expectNoRawError(text: string): void {
  for (const leak of [
    'ECONNREFUSED',
    'DatabaseNotReachable',
    'DatabaseDoesNotExist',
    '127.0.0.1',
    `:${pgPort}`,
    `:${natsPort}`,
    databaseName,
    'does not exist',
    '3D000',
    'NATS',
    'disconnect',
    'terminat',
  ]) {
    expect(text).not.toContain(leak);
  }
}

beforeAll(async () => {
  const pg = await postgresServer();
  natsUrl = await natsServer();
  admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  pgProxy = await TcpProxy.forUrl(pg.url);
  natsProxy = await TcpProxy.forUrl(natsUrl);
  pgPort = pgProxy.port;
  natsPort = natsProxy.port;

  const env = {
    NODE_ENV: 'test',
    SERVICE_NAME: 'health-it',
    PORT: '3999',
    DATABASE_URL: pgProxy.rewrite(withDatabase(pg.url, databaseName)),
    NATS_URL: natsProxy.rewrite(natsUrl),
    NATS_PREFIX: prefix,
    AUTH_JWKS_URL: 'https://idp.test/.well-known/jwks.json',
    LOG_LEVEL: 'info',
  };
  @Module({
    imports: [
      PlatformModule.forRoot({ config: platformConfigSchema, env, logging: { destination }, health: { checkTimeoutMs: 4_000 } }),
      DatabaseModule.forClient(AdapterClient),
      NatsModule.forService({ connectTimeoutMs: 5_000, reconnectTimeWaitMs: 200, drainTimeoutMs: 1_000 }),
    ],
  })
  class HealthItModule {}

  const moduleRef = await Test.createTestingModule({ imports: [HealthItModule] }).compile();
  app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  app.get(AppLifecycle).markStarted();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await pgProxy?.close().catch(() => undefined);
  await natsProxy?.close().catch(() => undefined);
  await admin?.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => undefined);
  await admin?.end().catch(() => undefined);
  if (natsUrl) await deleteJetStreamObjects(natsUrl, prefix.replace(/\./g, '_'));
});

describe('GET /health/ready against PostgreSQL and NATS that fail', () => {
  it('is ready while both answer', async () => {
    const res = await probe();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { db: 'up', nats: 'up' } });
  });

  it('answers a database error with the check name and a code; the log has the error, once', async () => {
    // The database dropped under the service: PostgreSQL ends its connections, then refuses it by name (SQL state 3D000).
    await admin.query(`DROP DATABASE "${databaseName}" WITH (FORCE)`);
    await waitFor(async () => (await probe()).status === 503, { timeoutMs: 15_000, description: 'readiness 503 once the database is gone' });
    let res = await probe();
    for (let i = 0; i < 3; i++) res = await probe(); // several probes: still one log line
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://podium.dev/problems/not-ready',
      detail: 'db: error',
      checks: { db: 'down', nats: 'up' },
      failures: { db: 'error' },
    });
    expectNoRawError(res.text);

    const down = healthLines('db');
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ reason: 'error', msg: expect.stringMatching(/^Readiness check 'db' down \(error\): /) });
    expect(down[0]?.error).toContain(databaseName); // PostgreSQL's own text, in the log only
    expect(healthLines('nats')).toHaveLength(0);
  });

  it('logs the check up again once, when the database is back', async () => {
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    await waitFor(async () => (await probe()).status === 200, { timeoutMs: 15_000, description: 'readiness 200 once the database is back' });
    await probe();
    const db = healthLines('db');
    expect(db).toHaveLength(2);
    expect(db[1]).toMatchObject({ msg: "Readiness check 'db' up again" });
  });

  it('answers connections refused by both servers with codes only; the log has the unreachable host and port', async () => {
    await pgProxy.close(); // nothing listens on its port any more: connection refused
    await natsProxy.close();
    await waitFor(
      async () => {
        const res = await probe();
        return res.status === 503 && res.body.checks?.db === 'down' && res.body.checks?.nats === 'down';
      },
      { timeoutMs: 20_000, description: 'readiness 503 with db and nats down' },
    );
    let res = await probe();
    for (let i = 0; i < 3; i++) res = await probe();
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ db: 'down', nats: 'down' });
    expect(res.body.failures).toEqual({ db: expect.stringMatching(/^(error|timeout)$/), nats: expect.stringMatching(/^(error|timeout)$/) });
    expect(res.body.detail).toBe(`db: ${res.body.failures.db}; nats: ${res.body.failures.nats}`);
    expectNoRawError(res.text);

    const db = healthLines('db');
    expect(db).toHaveLength(3); // down (SQL), up again, down (refused): one line per change, none per probe
    // The driver's account, with the address it could not reach: in the log only.
    expect(db[2]?.error).toMatch(/DatabaseNotReachable/);
    expect(db[2]?.error).toContain('127.0.0.1');
    expect(db[2]?.error).toContain(String(pgPort));
    // NATS may first time out, then report the disconnection: a line per change of its code, none per probe.
    const nats = healthLines('nats');
    expect(nats.length).toBeGreaterThanOrEqual(1);
    expect(nats.length).toBeLessThanOrEqual(2);
    for (const [i, line] of nats.entries()) {
      expect(line.error).toMatch(/\S/);
      if (i > 0) expect(line.reason).not.toBe(nats[i - 1]?.reason);
    }
  });

  it('is ready again once both servers answer on the same addresses', async () => {
    // (Also what lets the app shut down cleanly: nats.js keeps its reconnect loop running after a drain while NATS is
    // unreachable, which would keep this test process alive.)
    const pg = await postgresServer();
    const pgTarget = new URL(pg.url);
    const natsTarget = new URL(natsUrl);
    pgProxy = await TcpProxy.start({ port: pgPort, targetHost: pgTarget.hostname, targetPort: Number(pgTarget.port || 5432) });
    natsProxy = await TcpProxy.start({ port: natsPort, targetHost: natsTarget.hostname, targetPort: Number(natsTarget.port || 4222) });
    await waitFor(async () => (await probe()).status === 200, { timeoutMs: 20_000, description: 'readiness 200 once both are back' });
    expect(healthLines('db').at(-1)).toMatchObject({ msg: "Readiness check 'db' up again" });
    expect(healthLines('nats').at(-1)).toMatchObject({ msg: "Readiness check 'nats' up again" });
  });
});
