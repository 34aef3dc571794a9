/**
 * Against the real local PostgreSQL (own database, dropped afterwards) and NATS (own prefix, streams deleted
 * afterwards). The relay reaches NATS through a user-space TCP proxy that the outage test pauses.
 */
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { scheduleUnitUpdated, schedulesStream, type ScheduleUnitState } from '@podium/contracts';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { natsServer, postgresServer, TcpProxy } from '@podium/test-servers';
import { withDatabase } from '../migrations/database-url';
import { HealthRegistry } from '../health/health.registry';
import { runWithCorrelationId } from '../logging';
import type { PlatformConfig } from '../config/platform.config';
import { MetricsService } from '../metrics/metrics.service';
import { NatsConnectionService } from '../nats/nats.connection';
import { NatsModule } from '../nats/nats.module';
import { NatsNaming } from '../nats/nats.naming';
import { NatsPublisher } from '../nats/nats.publisher';
import { OutboxModule } from './outbox.module';
import { OUTBOX_OPTIONS, type ResolvedOutboxOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';
import { type OutboxTransaction, OutboxWriter } from './outbox.writer';

const KEY = 'oms.schedules.v1.unit.{discipline}.updated';
const unit: ScheduleUnitState = scheduleUnitUpdated.example;

/** The outbox table exactly as the services' migrations create it (the platform's model, rendered: outbox.table.sql). */
const OUTBOX_DDL = readFileSync(join(__dirname, 'outbox.table.sql'), 'utf8');

@Global()
@Module({ providers: [HealthRegistry], exports: [HealthRegistry] })
class TestHealthModule {}

const databaseName = `podium_it_outbox_${randomBytes(4).toString('hex')}`;
let databaseUrl: string;
const prefixes: string[] = [];
const modules: TestingModule[] = [];
let adminDb: Client;
let db: Client;
let admin: NatsConnection;
let jsm: JetStreamManager;
let proxy: TcpProxy;

interface Harness {
  module: TestingModule;
  naming: NatsNaming;
  writer: OutboxWriter;
  relay: OutboxRelay;
}

async function boot(
  options: { relay?: boolean; prefix?: string; pollIntervalMs?: number } = {},
): Promise<Harness> {
  const prefix = options.prefix ?? `ito${randomBytes(4).toString('hex')}.`;
  prefixes.push(prefix);
  const module = await Test.createTestingModule({
    imports: [
      TestHealthModule,
      NatsModule.forRootAsync({
        useFactory: () => ({
          servers: `nats://127.0.0.1:${proxy.port}`,
          name: 'it-outbox',
          prefix,
          streams: [schedulesStream],
          reconnectTimeWaitMs: 100,
          requestTimeoutMs: 1_000,
          connectTimeoutMs: 5_000,
        }),
      }),
      OutboxModule.forRootAsync({
        useFactory: () => ({
          databaseUrl,
          relay: options.relay ?? true,
          pollIntervalMs: options.pollIntervalMs ?? 200,
          lockRetryMs: 100,
          minBackoffMs: 50,
          maxBackoffMs: 400,
        }),
      }),
    ],
  }).compile();
  modules.push(module);
  await module.init();
  return {
    module,
    naming: new NatsNaming(prefix),
    writer: module.get(OutboxWriter),
    relay: module.get(OutboxRelay),
  };
}

/** A transaction on the test's own pg connection, shaped like a Prisma transaction client. */
async function inTransaction<T>(work: (tx: OutboxTransaction) => Promise<T>, rollback = false): Promise<T> {
  const tx: OutboxTransaction = {
    $executeRawUnsafe: async (sql, ...values) => (await db.query(sql, values)).rowCount ?? 0,
  };
  await db.query('BEGIN');
  try {
    const result = await work(tx);
    await db.query(rollback ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}

function enqueueUnit(writer: OutboxWriter, discipline: string, version: number): Promise<string> {
  return inTransaction((tx) => writer.enqueue(tx, KEY, { ...unit, version }, { tokens: { discipline } }));
}

interface Row {
  event_id: string;
  subject: string;
  published_at: Date | null;
  stream_seq: string | null;
  attempts: number;
  last_error: string | null;
}

async function rows(): Promise<Row[]> {
  return (
    await db.query<Row>(
      'SELECT event_id::text, subject, published_at, stream_seq, attempts, last_error FROM outbox_event ORDER BY id',
    )
  ).rows;
}

async function storedIds(stream: string): Promise<{ seq: number; id: string; subject: string }[]> {
  const count = (await jsm.streams.info(stream)).state.messages;
  const out = [];
  for (let seq = 1; seq <= count; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    out.push({ seq, id: m.json<{ id: string }>().id, subject: m.subject });
  }
  return out;
}

async function eventually(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  // PostgreSQL and NATS as every integration test finds them (@podium/test-servers: Testcontainers or the local services).
  const { url: serverUrl } = await postgresServer();
  const natsUrl = await natsServer();
  databaseUrl = withDatabase(serverUrl, databaseName);
  adminDb = new Client({ connectionString: serverUrl });
  await adminDb.connect();
  await adminDb.query(`CREATE DATABASE "${databaseName}"`);
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(OUTBOX_DDL);
  admin = await connect({ servers: natsUrl });
  jsm = await admin.jetstreamManager();
  proxy = await TcpProxy.forUrl(natsUrl);
});

beforeEach(async () => {
  proxy.refuseConnections(false);
  await db.query('TRUNCATE outbox_event RESTART IDENTITY');
});

afterEach(async () => {
  await Promise.all(modules.splice(0).map((m) => m.close().catch(() => undefined)));
});

afterAll(async () => {
  await proxy?.close();
  const namePrefixes = prefixes.map((p) => p.replace(/\./g, '_'));
  for (const name of await jsm.streams.names().next()) {
    if (namePrefixes.some((p) => name.startsWith(p))) await jsm.streams.delete(name);
  }
  await admin?.close();
  await db?.end();
  await adminDb.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await adminDb.end();
});

describe('OutboxWriter + OutboxRelay', () => {
  it('publishes committed events in id order, marks them and reports the last sequence', async () => {
    const h = await boot();
    const ids: string[] = [];
    // 12 rows: ids 10-12 sort before 2 as text, so numeric order is really checked.
    const disciplines = ['ATH', 'SWM', 'ATH', 'FEN', 'ATH', 'JUD', 'BKB', 'ATH', 'SWM', 'ROW', 'SAL', 'ATH'];
    const told: { id: string; seq: number }[] = [];
    h.relay.onPublished((id, seq) => told.push({ id, seq }));
    await runWithCorrelationId('corr-outbox', async () => {
      for (const [i, discipline] of disciplines.entries()) {
        ids.push(await enqueueUnit(h.writer, discipline, i + 1));
      }
    });
    await h.relay.flush();
    const stream = h.naming.name('SCHEDULES');
    const stored = await storedIds(stream);
    expect(stored.map((s) => s.id)).toEqual(ids);
    expect(stored.map((s) => s.subject)).toEqual(
      disciplines.map(
        (d) => `${h.naming.subject(`oms.schedules.v1.unit.${d}.updated`)}`,
      ),
    );
    const marked = await rows();
    expect(marked.map((r) => r.event_id)).toEqual(ids);
    expect(marked.every((r) => r.published_at instanceof Date)).toBe(true);
    expect(marked.map((r) => Number(r.stream_seq))).toEqual(stored.map((s) => s.seq));
    await expect(h.relay.lastPublishedSeq()).resolves.toBe(stored[stored.length - 1]?.seq);
    await expect(h.relay.pendingCount()).resolves.toBe(0);
    const first = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(first.header.get('x-correlation-id')).toBe('corr-outbox');
    expect(first.header.get('Nats-Msg-Id')).toBe(ids[0]);
    expect(h.relay.stats()).toMatchObject({ leader: true, published: 12 });
    expect(told).toEqual(stored.map((s) => ({ id: s.id, seq: s.seq })));
  });

  it('writes a batch with one statement: every event once, in order, each notified, published in that order', async () => {
    const h = await boot({ pollIntervalMs: 60_000 });
    await eventually(() => h.relay.stats().leader, 'the relay to lead and listen');
    // 12 events: ids 10-12 sort before 2 as text, so the numeric order of the rows and their notifications is checked.
    const disciplines = ['ATH', 'SWM', 'ATH', 'FEN', 'ATH', 'JUD', 'BKB', 'ATH', 'SWM', 'ROW', 'SAL', 'ATH'];
    const ids = await inTransaction((tx) =>
      h.writer.enqueueMany(tx, KEY, disciplines.map((discipline, i) => ({ data: { ...unit, version: i + 1 }, tokens: { discipline } }))),
    );
    expect((await rows()).map((r) => r.event_id)).toEqual(ids);
    // With a one-minute poll, only the statement's notifications bring the relay this fast.
    await eventually(async () => (await rows()).every((r) => r.published_at != null), 'the publish', 5_000);
    const stored = await storedIds(h.naming.name('SCHEDULES'));
    expect(stored.map((s) => s.id)).toEqual(ids);
    expect(stored.map((s) => s.subject)).toEqual(disciplines.map((d) => h.naming.subject(`oms.schedules.v1.unit.${d}.updated`)));
    await inTransaction((tx) => h.writer.enqueueMany(tx, KEY, [{ data: unit, tokens: { discipline: 'ATH' } }]), true);
    expect(await rows()).toHaveLength(disciplines.length);
  });

  it('is woken by NOTIFY on commit, long before the polling interval', async () => {
    const h = await boot({ pollIntervalMs: 60_000 });
    await eventually(() => h.relay.stats().leader, 'the relay to lead and listen');
    await new Promise((r) => setTimeout(r, 100));
    // With a one-minute poll, only the notification sent on commit can bring the relay back this fast.
    await enqueueUnit(h.writer, 'ATH', 1);
    await eventually(async () => (await rows())[0]?.published_at != null, 'the publish', 5_000);
  });

  it('reports a publication on the ack and marks it with the next read, or on its own when none follows', async () => {
    const h = await boot({ pollIntervalMs: 60_000 });
    await eventually(() => h.relay.stats().leader, 'the relay to lead and listen');
    const told: string[] = [];
    h.relay.onPublished((id) => told.push(id));
    const first = await enqueueUnit(h.writer, 'ATH', 1);
    await eventually(() => told.includes(first), 'the first publication');
    // Within the linger: its notification wakes the relay, whose read marks the first row.
    const second = await enqueueUnit(h.writer, 'ATH', 2);
    await eventually(() => told.includes(second), 'the second publication');
    // Nothing follows (one-minute poll): the second row is marked on its own.
    await eventually(async () => (await rows()).every((r) => r.published_at != null), 'both rows marked', 5_000);
    const stored = await storedIds(h.naming.name('SCHEDULES'));
    expect((await rows()).map((r) => [r.event_id, Number(r.stream_seq)])).toEqual(stored.map((m) => [m.id, m.seq]));
    expect(stored.map((m) => m.id)).toEqual([first, second]);
  });

  it('publishes nothing for a rolled back transaction', async () => {
    const h = await boot();
    await inTransaction((tx) => h.writer.enqueue(tx, KEY, unit, { tokens: { discipline: 'ATH' } }), true);
    const kept = await enqueueUnit(h.writer, 'SWM', 2);
    await h.relay.flush();
    expect((await storedIds(h.naming.name('SCHEDULES'))).map((s) => s.id)).toEqual([kept]);
  });

  it('keeps rows pending while NATS is unreachable and publishes them, in order and once, when it returns', async () => {
    const h = await boot();
    // NATS goes away: every connection is cut and new ones are refused until it returns.
    proxy.refuseConnections();
    proxy.dropConnections();
    await eventually(() => !h.module.get(NatsConnectionService).isConnected, 'the disconnect');
    const ids = [
      await enqueueUnit(h.writer, 'ATH', 1),
      await enqueueUnit(h.writer, 'SWM', 2),
      await enqueueUnit(h.writer, 'FEN', 3),
    ];
    await eventually(async () => ((await rows())[0]?.attempts ?? 0) >= 2, 'failed attempts to be recorded');
    const pending = await rows();
    expect(pending.every((r) => r.published_at === null && r.stream_seq === null)).toBe(true);
    expect(pending[0]?.last_error).toMatch(/not connected|timeout|closed|disconnect/i);
    expect(pending.slice(1).every((r) => r.attempts === 0)).toBe(true);
    expect(h.relay.stats().failures).toBeGreaterThanOrEqual(2);

    proxy.refuseConnections(false);
    await h.relay.flush(15_000);
    const stored = await storedIds(h.naming.name('SCHEDULES'));
    expect(stored.map((s) => s.id)).toEqual(ids);
    expect((await rows()).every((r) => r.last_error === null)).toBe(true);
  });

  it('de-duplicates an event published before a crash that left its row unmarked', async () => {
    const h = await boot();
    const id = await enqueueUnit(h.writer, 'ATH', 1);
    // The crash: the event reached the stream but the row was never marked. Publish it as the relay would have.
    await h.relay.stop();
    const { payload, subject } = (
      await db.query<{ payload: { id: string }; subject: string }>(
        'SELECT payload, subject FROM outbox_event',
      )
    ).rows[0]!;
    const ack = await h.module.get(NatsPublisher).publishEnvelope(subject, payload);
    h.relay.start();
    await h.relay.flush();
    expect((await storedIds(h.naming.name('SCHEDULES'))).map((s) => s.id)).toEqual([id]);
    expect(Number((await rows())[0]?.stream_seq)).toBe(ack.seq);
  });

  it("publishes exactly the writer's serialisation of the envelope, byte for byte, with the size prepare() announced", async () => {
    const h = await boot();
    const data = { ...unit, name: 'Final "A", 100 m: heat 1 \\ é' };
    const event = h.writer.prepare(KEY, data, { tokens: { discipline: 'ATH' } });
    await inTransaction((tx) => h.writer.insert(tx, event));
    const enqueued = await inTransaction((tx) => h.writer.enqueue(tx, KEY, data, { tokens: { discipline: 'SWM' } }));
    await h.relay.flush();
    const first = await jsm.streams.getMessage(h.naming.name('SCHEDULES'), { seq: 1 });
    const envelope: unknown = first.json();
    expect(Buffer.from(first.data).toString('utf8')).toBe(event.payload);
    expect(Buffer.from(first.data).toString('utf8')).toBe(JSON.stringify(envelope));
    expect(first.data.byteLength).toBe(event.publishedBytes);
    expect(first.header.get('Nats-Msg-Id')).toBe(event.id);
    const second = await jsm.streams.getMessage(h.naming.name('SCHEDULES'), { seq: 2 });
    expect(second.header.get('Nats-Msg-Id')).toBe(enqueued);
    expect(Buffer.from(second.data).toString('utf8')).toBe(JSON.stringify(second.json()));
  });

  it('publishes an envelope whose id is not its first attribute when that id is its event_id', async () => {
    const h = await boot();
    const event = h.writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' } });
    const { id, ...rest } = JSON.parse(event.payload) as { id: string };
    const reordered = JSON.stringify({ ...rest, id });
    await db.query(
      'INSERT INTO outbox_event (event_id, subject, payload, headers) VALUES ($1::uuid, $2, $3::json, $4::jsonb)',
      [event.id, event.subject, reordered, event.headers],
    );
    await h.relay.flush();
    const message = await jsm.streams.getMessage(h.naming.name('SCHEDULES'), { seq: 1 });
    expect(Buffer.from(message.data).toString('utf8')).toBe(reordered);
  });

  it('writes an event inside a caller statement only when its gate returns a row, and wakes the relay', async () => {
    const h = await boot({ pollIntervalMs: 60_000 });
    await eventually(() => h.relay.stats().leader, 'the relay to lead and listen');
    const part = h.writer.statementPart('gate', 'inserted', 2);
    const statement =
      `WITH gate AS (SELECT 1 WHERE $1::boolean), inserted AS (${part.insert}) ` +
      `SELECT count(*)::int AS n FROM (${part.notify}) notified`;
    const skipped = h.writer.prepare(KEY, unit, { tokens: { discipline: 'SWM' }, validated: true });
    const written = h.writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' }, validated: true });
    expect((await db.query(statement, [false, ...part.values(skipped)])).rows).toEqual([{ n: 0 }]);
    expect((await db.query(statement, [true, ...part.values(written)])).rows).toEqual([{ n: 1 }]);
    // With a one-minute poll, only the notification of the statement brings the relay this fast.
    await eventually(async () => (await rows())[0]?.published_at != null, 'the publish', 5_000);
    expect((await rows()).map((r) => r.event_id)).toEqual([written.id]);
  });

  it('publishes a row handed over after its commit from memory, without reading the outbox', async () => {
    const h = await boot({ pollIntervalMs: 60_000 });
    await eventually(() => h.relay.stats().leader, 'the relay to lead and listen');
    await eventually(() => h.relay.stats().pending === 0, 'the first read');
    await new Promise((r) => setTimeout(r, 100));
    const part = h.writer.statementPart('gate', 'inserted', 1);
    const statement =
      `WITH gate AS (SELECT 1), inserted AS (${part.insert}) ` +
      `SELECT (SELECT count(*)::int FROM (${part.notify}) notified) AS n, (SELECT id::text FROM inserted) AS id`;
    const event = h.writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' }, validated: true });
    // Handed over before COMMIT here only to leave no room for a race in the test: the notification comes on commit.
    await db.query('BEGIN');
    const { rows: written } = await db.query<{ n: number; id: string }>(statement, part.values(event));
    h.relay.handOver(written[0]!.id, event);
    await db.query('COMMIT');
    await eventually(() => h.relay.stats().published === 1, 'the publish');
    expect(h.relay.stats().handedOver).toBe(1);
    const message = await jsm.streams.getMessage(h.naming.name('SCHEDULES'), { seq: 1 });
    expect(Buffer.from(message.data).toString('utf8')).toBe(event.payload);
    expect(message.header.get('Nats-Msg-Id')).toBe(event.id);
    await eventually(async () => (await rows())[0]?.stream_seq != null, 'the mark', 5_000);
  });

  it('keeps per-subject order when handed over rows and rows of another writer interleave', async () => {
    const h = await boot();
    await eventually(() => h.relay.stats().leader, 'the relay to lead and listen');
    const part = h.writer.statementPart('gate', 'inserted', 1);
    const statement =
      `WITH gate AS (SELECT 1), inserted AS (${part.insert}) ` +
      `SELECT (SELECT count(*)::int FROM (${part.notify}) notified) AS n, (SELECT id::text FROM inserted) AS id`;
    const disciplines = ['ATH', 'SWM', 'FEN'];
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const discipline = disciplines[i % 3]!;
      const event = h.writer.prepare(KEY, { ...unit, version: i + 1 }, { tokens: { discipline }, validated: true });
      const { rows: written } = await db.query<{ id: string }>(statement, part.values(event));
      // Every other row comes from "another replica": not handed over, so the relay has to read it.
      if (i % 2 === 0) h.relay.handOver(written[0]!.id, event);
      ids.push(event.id);
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await h.relay.flush(15_000);
    const stored = await storedIds(h.naming.name('SCHEDULES'));
    expect(stored.map((m) => m.id)).toHaveLength(60);
    for (const discipline of disciplines) {
      const subject = h.naming.subject(`oms.schedules.v1.unit.${discipline}.updated`);
      expect(stored.filter((m) => m.subject === subject).map((m) => m.id)).toEqual(
        ids.filter((_, i) => disciplines[i % 3] === discipline),
      );
    }
    expect((await rows()).map((r) => Number(r.stream_seq))).toEqual(
      (await rows()).map((r) => stored.find((m) => m.id === r.event_id)?.seq),
    );
  });

  it('refuses a row whose envelope id is not its event_id: kept pending, the failure recorded', async () => {
    const h = await boot();
    const event = h.writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' } });
    await db.query(
      'INSERT INTO outbox_event (event_id, subject, payload, headers) VALUES ($1::uuid, $2, $3::json, $4::jsonb)',
      ['5d1e3c1a-7b1f-4c53-9a59-0c3a0f0e7a11', event.subject, event.payload, event.headers],
    );
    await eventually(async () => ((await rows())[0]?.attempts ?? 0) >= 1, 'the refusal to be recorded');
    expect((await rows())[0]).toMatchObject({ published_at: null, last_error: expect.stringMatching(/differs from event_id/) });
    expect((await jsm.streams.info(h.naming.name('SCHEDULES'))).state.messages).toBe(0);
  });

  it('runs one active relay across replicas; a standby takes over when the active one stops', async () => {
    const a = await boot();
    await eventually(() => a.relay.stats().leader, 'the first relay to lead');
    const prefix = a.naming.subjectPrefix;
    const b = await boot({ prefix });
    await new Promise((r) => setTimeout(r, 400));
    expect(b.relay.stats().leader).toBe(false);

    await a.module.close();
    await eventually(() => b.relay.stats().leader, 'the standby to take over');
    const id = await enqueueUnit(b.writer, 'ATH', 1);
    await b.relay.flush();
    expect((await storedIds(b.naming.name('SCHEDULES'))).map((s) => s.id)).toEqual([id]);
    expect(b.relay.stats().published).toBe(1);
  });

  it('reads the last published sequence inside a caller transaction', async () => {
    const h = await boot();
    await enqueueUnit(h.writer, 'ATH', 1);
    await enqueueUnit(h.writer, 'ATH', 2);
    await h.relay.flush();
    const queryable = {
      $queryRawUnsafe: async (sql: string, ...values: unknown[]) => (await db.query(sql, values)).rows,
    };
    await expect(h.relay.lastPublishedSeq(queryable)).resolves.toBe(2);
  });

  it('writes without relaying when the relay is disabled', async () => {
    const h = await boot({ relay: false });
    expect(h.module.get<ResolvedOutboxOptions>(OUTBOX_OPTIONS).relay).toBe(false);
    await enqueueUnit(h.writer, 'ATH', 1);
    await new Promise((r) => setTimeout(r, 400));
    await expect(h.relay.pendingCount()).resolves.toBe(1);
    expect(h.relay.stats()).toMatchObject({ leader: false, published: 0 });
    expect((await jsm.streams.info(h.naming.name('SCHEDULES'))).state.messages).toBe(0);
  });

  it('shows the pending events and the age of the oldest on /metrics, from one query of the table per scrape', async () => {
    const h = await boot({ relay: false });
    const metrics = new MetricsService({ SERVICE_NAME: 'it-outbox' } as PlatformConfig, { defaultMetrics: false });
    // A relay of the module's options that is never started: its gauges read the table as any replica's would.
    const relay = new OutboxRelay(
      h.module.get<ResolvedOutboxOptions>(OUTBOX_OPTIONS),
      h.module.get(NatsPublisher),
      h.module.get(NatsConnectionService),
      metrics,
    );
    try {
      const value = (text: string, name: string): number => Number(new RegExp(`^${name}\\{service="it-outbox"\\} (\\S+)$`, 'm').exec(text)?.[1]);
      const empty = await metrics.render();
      expect(value(empty, 'outbox_pending_events')).toBe(0);
      expect(value(empty, 'outbox_oldest_pending_age_seconds')).toBe(0);

      await enqueueUnit(h.writer, 'ATH', 1);
      await new Promise((r) => setTimeout(r, 600));
      await enqueueUnit(h.writer, 'SWM', 1);
      const text = await metrics.render();
      expect(value(text, 'outbox_pending_events')).toBe(2);
      // The oldest row's age (the first one's), by the database's clock: at least the pause, far less than a minute.
      expect(value(text, 'outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0.5);
      expect(value(text, 'outbox_oldest_pending_age_seconds')).toBeLessThan(60);
      await expect(relay.pendingSummary()).resolves.toMatchObject({ pending: 2 });
    } finally {
      await relay.stop();
    }
  });
});
