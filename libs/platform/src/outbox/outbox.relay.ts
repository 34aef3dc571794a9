import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { Client, Pool } from 'pg';
import type { Counter } from 'prom-client';
import { z } from 'zod';
import { MetricsService } from '../metrics/metrics.service';
import { NatsConnectionService } from '../nats/nats.connection';
import { NatsPublisher } from '../nats/nats.publisher';
import { errorMessage, exponentialBackoff, sleep } from '../nats/timing';
import { parseDatabaseUrl, searchPathOption } from '../prisma/prisma.url';
import { OUTBOX_OPTIONS, type ResolvedOutboxOptions } from './outbox.options';
import { OutboxSql } from './outbox.sql';
import type { PreparedOutboxEvent } from './outbox.writer';

/** Anything that can run a raw query (a Prisma client or transaction client fits). */
export interface OutboxQueryable {
  $queryRawUnsafe(sql: string, ...values: unknown[]): Promise<unknown>;
}

/** Counters for metrics (e.g. a gauge on `pending`) and tests. */
export interface OutboxRelayStats {
  /** This replica holds the relay lock. */
  leader: boolean;
  /** Events published by this replica since start. */
  published: number;
  /** Failed publish attempts since start. */
  failures: number;
  /** Pending rows seen by the last read (this replica, when leader). */
  pending: number;
  /** Of `published`: events handed over by this replica's writers and published without reading the outbox. */
  handedOver: number;
  lastError?: string;
  lastPublishedAt?: Date;
}

/** A pending row as the relay reads it (OutboxSql.selectPending). */
interface PendingRow {
  id: string;
  event_id: string;
  subject: string;
  /** The stored envelope, the writer's JSON text: published byte for byte. */
  payload: string;
  headers: Record<string, string> | null;
}

/** Publishes in flight at once (see relayBatch). */
const PUBLISH_WINDOW = 32;

/**
 * How long published rows may wait to be marked for the next read of the outbox, which marks them in the same round
 * trip (a notification ends the wait); then they are marked on their own. Publications are reported (onPublished)
 * when JetStream acknowledged them, not when marked.
 */
const MARK_LINGER_MS = 20;

/** While following notifications (no reads), published rows are marked by a read at least this often... */
const MARK_MAX_DELAY_MS = 50;
/** ...or once this many are waiting. */
const MARK_MAX_ROWS = 64;

/** Rows handed over and not yet published that are kept (the oldest go first; a row not kept is read instead). */
const HANDED_OVER_MAX = 1024;
/** Notified row ids kept until the next publication or read (more: the next read covers them all). */
const NOTIFIED_MAX = 10_000;
const ROW_ID = /^[0-9]{1,19}$/;

const seqRowsSchema = z.array(z.object({ seq: z.union([z.string(), z.number(), z.bigint()]) }));

/**
 * Publishes committed outbox rows to JetStream, in id order (pipelined: several publishes in flight, never two on one
 * subject, see relayBatch), with msgID = event_id (so a crash between publish and mark is de-duplicated by the stream),
 * then marks them (published_at, stream_seq): with its next read of the outbox (one round trip for both), or on their
 * own when no read follows within MARK_LINGER_MS. The envelope is published as the text the writer serialised (validated
 * when it was written; the json column keeps it byte for byte): the relay neither parses nor serialises it again; a row
 * whose envelope id is not its event_id is refused (a failure, retried like any other).
 *
 * - Woken by NOTIFY (sent by the writer on commit, carrying the row's id; notifications come in commit order), with a
 *   polling fallback every `pollIntervalMs`.
 * - Following: once a read found the outbox caught up (fewer pending rows than a batch, all published), the rows
 *   notified next are published from memory, in notification (= commit) order, when every one of them was handed
 *   over by a writer of this replica after its commit ({@link handOver}); any other notified row, a failure, the
 *   polling interval or marks due (MARK_MAX_DELAY_MS, MARK_MAX_ROWS) bring a read again. A row a read returned is not
 *   published again from its notification (the ids of the last two reads are skipped; should one still be, JetStream
 *   de-duplicates it by its msgID), so per-subject order holds across both ways: a document's rows commit, and are
 *   notified, one after the other.
 * - One active relay across replicas: a session advisory lock held on the relay's dedicated connection; standbys retry
 *   every `lockRetryMs` and take over when the active one's connection ends.
 * - While NATS is down, rows stay pending (attempts/last_error updated) and the relay backs off exponentially;
 *   nothing is lost or reordered. Database failures reconnect with the same backoff.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly sql: OutboxSql;
  private readonly connectionString: string;
  private readonly searchPath?: string;
  private readonly lockName: string;
  private client?: Client;
  private pool?: Pool;
  private loop?: Promise<void>;
  private stopped = true;
  private wakeUp?: () => void;
  private woken = false;
  private lastPrune = 0;
  private readonly counters: OutboxRelayStats = { leader: false, published: 0, failures: 0, pending: 0, handedOver: 0 };
  private readonly publishedListeners = new Set<(eventId: string, streamSeq: number) => void>();
  /** Published rows not yet marked (ids and their stream sequences, in order). */
  private unmarked: { ids: string[]; seqs: number[] } = { ids: [], seqs: [] };
  /** When the oldest of `unmarked` was published (Date.now()). */
  private unmarkedSince = 0;
  /** Row ids notified since the last read, in commit order. */
  private notified: string[] = [];
  /** A notification without a row id (an older writer) or too many: the next batch reads the outbox. */
  private needRead = false;
  /** The last read found fewer rows than a batch and all were published: notified rows may be followed. */
  private caughtUp = false;
  /**
   * Ids of the rows the last two reads returned: a row's notification may come after the read that published it
   * (PostgreSQL sends it once that read is done), even while the next read is under way.
   */
  private lastReadIds = new Set<string>();
  private previousReadIds = new Set<string>();
  /** Committed rows handed over by this replica's writers, by outbox id, not yet published. */
  private readonly handedOverRows = new Map<string, PendingRow>();
  private publishedTotal?: Counter;
  private failuresTotal?: Counter;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: ResolvedOutboxOptions,
    private readonly publisher: NatsPublisher,
    private readonly nats: NatsConnectionService,
    @Optional() metrics?: MetricsService,
  ) {
    this.sql = new OutboxSql(options.table);
    const { connectionString, schema } = parseDatabaseUrl(options.databaseUrl);
    this.connectionString = connectionString;
    this.searchPath = searchPathOption(schema);
    this.lockName = `podium.outbox-relay:${schema ? `${schema}.` : ''}${options.table}`;
    if (metrics) this.registerMetrics(metrics);
  }

  /**
   * Prometheus series for operations: a growing `outbox_pending_events` or `outbox_oldest_pending_age_seconds` means
   * events are not reaching NATS. Both come from one query per scrape (see {@link pendingSummary}).
   */
  private registerMetrics(metrics: MetricsService): void {
    const relay = this; // eslint-disable-line @typescript-eslint/no-this-alias -- prom-client calls collect() with its own `this`
    let scrape: Promise<{ pending: number; oldestAgeSeconds: number } | undefined> | undefined;
    // The two gauges are collected together (prom-client collects every metric of a scrape at once): one query for both.
    const summary = () => {
      scrape ??= relay
        .pendingSummary()
        .catch(() => undefined)
        .finally(() => setImmediate(() => (scrape = undefined)));
      return scrape;
    };
    metrics.gauge({
      name: 'outbox_pending_events',
      help: 'Committed events not yet published to JetStream (counted in the outbox table at scrape time).',
      async collect() {
        this.set((await summary())?.pending ?? relay.counters.pending);
      },
    });
    metrics.gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help:
        'Age of the oldest committed event not yet published to JetStream (0 when none), read from the outbox table at ' +
        'scrape time (the last value read while the table cannot be read). Rows published in the last tens of ' +
        'milliseconds and not yet marked count too.',
      async collect() {
        const read = await summary();
        if (read !== undefined) this.set(read.oldestAgeSeconds);
      },
    });
    metrics.gauge({
      name: 'outbox_relay_leader',
      help: '1 when this replica holds the relay lock and publishes the outbox.',
      collect() {
        this.set(relay.counters.leader ? 1 : 0);
      },
    });
    this.publishedTotal = metrics.counter({ name: 'outbox_published_total', help: 'Events published to JetStream.' });
    this.failuresTotal = metrics.counter({
      name: 'outbox_publish_failures_total',
      help: 'Failed publish attempts (NATS down or refusing); the events stay pending and are retried.',
    });
  }

  onApplicationBootstrap(): void {
    if (this.options.relay) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts the relay loop (idempotent). */
  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** Stops after the event being published, releases the lock and closes the relay's connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    const { published, handedOver } = this.counters;
    if (published > 0) this.logger.log(`Outbox relay stopping: ${published} event(s) published, ${handedOver} handed over`);
    await this.closeClient(true);
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  /** Resolves once no pending row remains (wakes the relay first); rejects after `timeoutMs`. For tests and tools. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.wake();
    for (;;) {
      const pending = await this.pendingCount();
      if (pending === 0) return;
      if (Date.now() >= deadline)
        throw new Error(`Outbox still has ${pending} pending event(s) after ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  /** Rows not yet published and the age of the oldest in seconds, 0 when none (any replica may ask). */
  async pendingSummary(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const { rows } = await this.getPool().query<{ pending: number; oldest_age_seconds: number }>(this.sql.pendingSummary());
    return { pending: rows[0]?.pending ?? 0, oldestAgeSeconds: rows[0]?.oldest_age_seconds ?? 0 };
  }

  /** Rows not yet published (any replica may ask). */
  async pendingCount(): Promise<number> {
    const { rows } = await this.getPool().query<{ pending: number }>(this.sql.countPending());
    return rows[0]?.pending ?? 0;
  }

  /**
   * The JetStream sequence of the last published event (max stream_seq of marked rows, see OutboxSql.lastPublishedSeq
   * for when it lags; 0 when none). Pass a
   * transaction to read it consistently with other reads of that transaction (e.g. a snapshot and its sequence).
   */
  async lastPublishedSeq(tx?: OutboxQueryable): Promise<number> {
    const rows = tx
      ? await tx.$queryRawUnsafe(this.sql.lastPublishedSeq())
      : (await this.getPool().query(this.sql.lastPublishedSeq())).rows;
    const parsed = seqRowsSchema.parse(rows);
    return Number(parsed[0]?.seq ?? 0);
  }

  stats(): OutboxRelayStats {
    return { ...this.counters };
  }

  /**
   * Calls `listener` each time this replica's relay has published an event (JetStream acknowledged it; its row is
   * marked then with the relay's next read, or within MARK_LINGER_MS), so a caller waiting for a publication need not
   * poll the table while this replica is the active relay. Returns the unsubscribe.
   */
  onPublished(listener: (eventId: string, streamSeq: number) => void): () => void {
    this.publishedListeners.add(listener);
    return () => this.publishedListeners.delete(listener);
  }

  /**
   * Tells this replica's relay that the committed outbox row `outboxId` holds `event` (written by the caller, whose
   * transaction or statement has committed): when the row's notification comes, it is published from memory instead
   * of being read back. Only a row the caller wrote and saw committed may be handed over; anything else is read as
   * before. Ignored unless this replica is the active relay.
   */
  handOver(outboxId: string, event: PreparedOutboxEvent): void {
    if (!this.counters.leader) return;
    if (this.handedOverRows.size >= HANDED_OVER_MAX) {
      const oldest = this.handedOverRows.keys().next().value;
      if (oldest !== undefined) this.handedOverRows.delete(oldest);
    }
    this.handedOverRows.set(outboxId, {
      id: outboxId,
      event_id: event.id,
      subject: event.subject,
      payload: event.payload,
      headers: event.headerValues as Record<string, string>,
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const client = await this.ensureClient();
        if (!this.counters.leader) {
          const { rows } = await client.query<{ locked: boolean }>(OutboxSql.tryLock(), [this.lockName]);
          if (!rows[0]?.locked) {
            await this.pause(this.options.lockRetryMs, false);
            continue;
          }
          await client.query(OutboxSql.listen(this.options.channel));
          this.counters.leader = true;
          this.logger.log(`Active outbox relay for ${this.options.table}`);
        }
        const outcome = await this.relayBatch(client);
        await this.pruneIfDue(client);
        if (outcome === 'nats-failed') {
          failures++;
          await this.pause(
            exponentialBackoff(failures, this.options.minBackoffMs, this.options.maxBackoffMs),
            false,
          );
          continue;
        }
        failures = 0;
        if (outcome === 'idle') {
          let waitMs = this.options.pollIntervalMs;
          if (this.unmarked.ids.length > 0) {
            // Woken meanwhile: the next read marks them. Otherwise they are marked on their own.
            if (await this.pause(Math.min(MARK_LINGER_MS, waitMs), true)) continue;
            await this.markUnmarked(client);
            waitMs -= MARK_LINGER_MS;
          }
          if (waitMs > 0) await this.pause(waitMs, true);
        }
      } catch (err) {
        if (this.stopped) break;
        failures++;
        const delay = exponentialBackoff(failures, this.options.minBackoffMs, this.options.maxBackoffMs);
        this.counters.lastError = errorMessage(err);
        this.logger.error(`Outbox relay database error (${errorMessage(err)}); retrying in ${delay} ms`);
        await this.closeClient(false);
        await this.pause(delay, false);
      }
    }
  }

  /**
   * 'more': a full batch was published; 'idle': nothing left; 'nats-failed': a row could not be published.
   * Follows the notified rows when it can (see the class comment), else reads the outbox.
   */
  private async relayBatch(client: Client): Promise<'more' | 'idle' | 'nats-failed'> {
    let followed = this.followed();
    if (followed === undefined && this.caughtUp && this.notified.length > 0) {
      // The writer's answer may be in the same turn of the event loop as the notification: let it hand the row over.
      await new Promise<void>((resolve) => setImmediate(resolve));
      followed = this.followed();
    }
    if (followed !== undefined) {
      if (await this.publishRows(client, followed)) return 'nats-failed';
      this.counters.handedOver += followed.length;
      return 'idle';
    }
    return this.readAndPublish(client);
  }

  /**
   * The rows notified since the last read, when every one was handed over (or returned by the last read) and no read
   * is due; undefined otherwise.
   */
  private followed(): PendingRow[] | undefined {
    if (!this.caughtUp || this.needRead || this.notified.length === 0) return undefined;
    const waiting = this.unmarked.ids.length;
    if (waiting >= MARK_MAX_ROWS || (waiting > 0 && Date.now() - this.unmarkedSince >= MARK_MAX_DELAY_MS)) return undefined;
    const rows: PendingRow[] = [];
    for (const id of this.notified) {
      if (this.lastReadIds.has(id) || this.previousReadIds.has(id)) continue;
      const row = this.handedOverRows.get(id);
      if (row === undefined) return undefined;
      rows.push(row);
    }
    this.notified = [];
    for (const row of rows) this.handedOverRows.delete(row.id);
    return rows;
  }

  /**
   * Reads pending rows in id order (marking the published ones in the same statement) and publishes them. Every
   * notification received before the read concerns a row committed before it: the read covers it.
   */
  private async readAndPublish(client: Client): Promise<'more' | 'idle' | 'nats-failed'> {
    this.caughtUp = false;
    this.notified = [];
    this.needRead = false;
    const marks = this.takeUnmarked();
    let rows: unknown[];
    try {
      rows =
        marks.ids.length === 0
          ? (await client.query(this.sql.selectPending(), [this.options.batchSize])).rows
          : (await client.query(this.sql.markPublishedAndSelectPending(), [this.options.batchSize, marks.ids, marks.seqs]))
              .rows;
    } catch (err) {
      this.restoreUnmarked(marks);
      throw err;
    }
    this.counters.pending = rows.length;
    const pending = rows.map(pendingRowOf);
    this.previousReadIds = this.lastReadIds;
    this.lastReadIds = new Set(pending.map((row) => row.id));
    for (const row of pending) this.handedOverRows.delete(row.id);
    if (await this.publishRows(client, pending)) return 'nats-failed';
    if (this.stopped) return 'idle';
    if (rows.length === this.options.batchSize) return 'more';
    this.caughtUp = true;
    return 'idle';
  }

  /**
   * Publishes rows in their order; true when one failed (recorded; the batch ends there and is retried by a read).
   *
   * Rows are published in windows of up to {@link PUBLISH_WINDOW} concurrent publishes, one connection, so JetStream
   * stores them in the order sent; the window ends before a second row on the same subject. Should a publish fail
   * while later ones in its window succeed (the server refusing that message alone; a timed-out one was usually
   * stored, and its retry is de-duplicated by its msgID), only rows on other subjects can have gone ahead of it:
   * per-subject order, hence per-document order, always holds. The successes are reported to the listeners and
   * marked with the next read; the earliest failure is recorded after marking the successes.
   */
  private async publishRows(client: Client, pending: readonly PendingRow[]): Promise<boolean> {
    let next = 0;
    while (next < pending.length) {
      if (this.stopped) return false;
      const window: PendingRow[] = [];
      const subjects = new Set<string>();
      for (let row = pending[next]; row && window.length < PUBLISH_WINDOW && !subjects.has(row.subject); row = pending[next]) {
        window.push(row);
        subjects.add(row.subject);
        next++;
      }
      const results = await Promise.allSettled(window.map((row) => this.publish(row)));
      const published: { row: PendingRow; seq: number }[] = [];
      let failure: { row: PendingRow; error: unknown } | undefined;
      results.forEach((result, i) => {
        const row = window[i] as PendingRow;
        if (result.status === 'fulfilled') published.push({ row, seq: result.value });
        else failure ??= { row, error: result.reason };
      });
      if (published.length > 0) {
        if (this.unmarked.ids.length === 0) this.unmarkedSince = Date.now();
        for (const { row, seq } of published) {
          this.unmarked.ids.push(row.id);
          this.unmarked.seqs.push(seq);
        }
        this.counters.published += published.length;
        this.publishedTotal?.inc(published.length);
        this.counters.pending = Math.max(0, this.counters.pending - published.length);
        this.counters.lastPublishedAt = new Date();
        for (const { row, seq } of published) for (const listener of this.publishedListeners) listener(row.event_id, seq);
      }
      if (failure) {
        this.caughtUp = false;
        const message = errorMessage(failure.error);
        this.counters.failures++;
        this.failuresTotal?.inc();
        this.counters.lastError = message;
        this.logger.warn(`Publishing outbox event ${failure.row.event_id} on ${failure.row.subject} failed: ${message}`);
        await this.markUnmarked(client);
        await client.query(this.sql.markFailed(), [failure.row.id, message.slice(0, 2000)]);
        return true;
      }
    }
    return false;
  }

  private async publish(row: PendingRow): Promise<number> {
    if (!startsWithId(row.payload, row.event_id)) {
      const envelopeId = envelopeIdOf(row.payload);
      if (envelopeId !== row.event_id)
        throw new Error(`outbox row ${row.id}: envelope id ${envelopeId ?? '(none)'} differs from event_id ${row.event_id}`);
    }
    if (!this.nats.isConnected) throw new Error('NATS is not connected');
    const ack = await this.publisher.publishRaw(this.nats.naming.subject(row.subject), Buffer.from(row.payload), {
      msgID: row.event_id,
      headers: row.headers ?? {},
    });
    if (ack.duplicate)
      this.logger.debug(`Outbox event ${row.event_id} was already in ${ack.stream} (seq ${ack.seq})`);
    return ack.seq;
  }

  /** No longer listening (or no longer the active relay): the next batch starts with a read. */
  private forgetFollowing(): void {
    this.caughtUp = false;
    this.notified = [];
    this.handedOverRows.clear();
  }

  private takeUnmarked(): { ids: string[]; seqs: number[] } {
    const marks = this.unmarked;
    if (marks.ids.length > 0) this.unmarked = { ids: [], seqs: [] };
    return marks;
  }

  /** Marks that could not be written are kept for the next read (marking twice is harmless: published_at IS NULL). */
  private restoreUnmarked(marks: { ids: string[]; seqs: number[] }): void {
    if (marks.ids.length === 0) return;
    this.unmarked = { ids: [...marks.ids, ...this.unmarked.ids], seqs: [...marks.seqs, ...this.unmarked.seqs] };
  }

  /** Marks the published rows not yet marked, on their own. */
  private async markUnmarked(client: Client): Promise<void> {
    const marks = this.takeUnmarked();
    if (marks.ids.length === 0) return;
    try {
      await client.query(this.sql.markPublished(), [marks.ids, marks.seqs]);
    } catch (err) {
      this.restoreUnmarked(marks);
      throw err;
    }
  }

  private async pruneIfDue(client: Client): Promise<void> {
    if (this.options.retentionMs === 0 || Date.now() - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = Date.now();
    const result = await client.query(this.sql.prunePublished(), [this.options.retentionMs]);
    if (result.rowCount) this.logger.log(`Pruned ${result.rowCount} published outbox event(s)`);
  }

  private async ensureClient(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.connectionString,
      options: this.searchPath,
      application_name: `${this.nats.options.name}-outbox-relay`,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    const lost = (err?: Error): void => {
      if (this.client !== client) return;
      if (!this.stopped) this.logger.warn(`Outbox relay connection lost${err ? `: ${err.message}` : ''}`);
      this.client = undefined;
      this.counters.leader = false;
      this.forgetFollowing();
      this.wake();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel !== this.options.channel) return;
      if (n.payload !== undefined && ROW_ID.test(n.payload) && this.notified.length < NOTIFIED_MAX) this.notified.push(n.payload);
      else this.needRead = true;
      this.wake();
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    return client;
  }

  private async closeClient(releaseLock: boolean): Promise<void> {
    const client = this.client;
    this.client = undefined;
    const wasLeader = this.counters.leader;
    this.counters.leader = false;
    this.forgetFollowing();
    if (!client) return;
    if (releaseLock && wasLeader) {
      await this.markUnmarked(client).catch(() => undefined);
      await client.query(OutboxSql.unlock(), [this.lockName]).catch(() => undefined);
    }
    await client.end().catch(() => undefined);
  }

  private getPool(): Pool {
    if (!this.pool) {
      this.pool = new Pool({
        connectionString: this.connectionString,
        options: this.searchPath,
        max: 2,
        application_name: `${this.nats.options.name}-outbox`,
        connectionTimeoutMillis: 5_000,
      });
      // An idle client failing (database restart) must not crash the process; the pool replaces it.
      this.pool.on('error', (err) => this.logger.warn(`Outbox pool connection error: ${err.message}`));
    }
    return this.pool;
  }

  /**
   * Waits `ms`; a notification ends the wait early only when `wakeable` (not while backing off). Stop always does.
   * True when a notification (or stop) ended it, or had come before.
   */
  private async pause(ms: number, wakeable: boolean): Promise<boolean> {
    if (this.stopped) return true;
    if (wakeable && this.woken) {
      this.woken = false;
      return true;
    }
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.wakeUp = () => {
        if (!wakeable && !this.stopped) return;
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.wakeUp = undefined;
    this.woken = false;
    return woken;
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }
}

const ID_PREFIX = '{"id":"';

/** The writer's envelope text starts with its id (makeEnvelope's first attribute): checked without parsing. */
function startsWithId(payload: string, eventId: string): boolean {
  return (
    payload.startsWith(ID_PREFIX) &&
    payload.startsWith(eventId, ID_PREFIX.length) &&
    payload.charCodeAt(ID_PREFIX.length + eventId.length) === 0x22 // the closing quote
  );
}

/** The envelope's id, for a payload written otherwise (parsed); undefined when it has none. */
function envelopeIdOf(payload: string): string | undefined {
  try {
    const envelope: unknown = JSON.parse(payload);
    const id = typeof envelope === 'object' && envelope !== null ? (envelope as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A row of OutboxSql.selectPending, checked (the columns' types are the table's). */
function pendingRowOf(raw: unknown): PendingRow {
  const r = raw as Partial<Record<keyof PendingRow, unknown>>;
  const { id, event_id, subject, payload, headers } = r;
  if (
    typeof id !== 'string' ||
    typeof event_id !== 'string' ||
    typeof subject !== 'string' ||
    typeof payload !== 'string' ||
    !(headers === null || isStringRecord(headers))
  ) {
    throw new Error(`outbox row ${String(id)}: unexpected columns (${Object.keys(r).join(', ')})`);
  }
  return { id, event_id, subject, payload, headers };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string') return false;
  return true;
}
