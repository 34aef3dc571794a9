import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Client, Pool } from 'pg';
import { z } from 'zod';
import { NatsConnectionService } from '../nats/nats.connection';
import { NatsPublisher } from '../nats/nats.publisher';
import { errorMessage, exponentialBackoff, sleep } from '../nats/timing';
import { parseDatabaseUrl, searchPathOption } from '../prisma/prisma.url';
import { OUTBOX_OPTIONS, type ResolvedOutboxOptions } from './outbox.options';
import { OutboxSql } from './outbox.sql';

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
  lastError?: string;
  lastPublishedAt?: Date;
}

const pendingRowSchema = z.object({
  id: z.string(),
  event_id: z.string(),
  subject: z.string(),
  payload: z.looseObject({ id: z.string() }),
  headers: z.record(z.string(), z.string()).nullable(),
});
type PendingRow = z.infer<typeof pendingRowSchema>;

const seqRowsSchema = z.array(z.object({ seq: z.union([z.string(), z.number(), z.bigint()]) }));

/**
 * Publishes committed outbox rows to JetStream, in id order, one at a time, with msgID = event_id (so a crash between
 * publish and mark is de-duplicated by the stream), then marks them (published_at, stream_seq).
 *
 * - Woken by NOTIFY (sent by the writer on commit), with a polling fallback every `pollIntervalMs`.
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
  private readonly counters: OutboxRelayStats = { leader: false, published: 0, failures: 0, pending: 0 };

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: ResolvedOutboxOptions,
    private readonly publisher: NatsPublisher,
    private readonly nats: NatsConnectionService,
  ) {
    this.sql = new OutboxSql(options.table);
    const { connectionString, schema } = parseDatabaseUrl(options.databaseUrl);
    this.connectionString = connectionString;
    this.searchPath = searchPathOption(schema);
    this.lockName = `podium.outbox-relay:${schema ? `${schema}.` : ''}${options.table}`;
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

  /** Rows not yet published (any replica may ask). */
  async pendingCount(): Promise<number> {
    const { rows } = await this.getPool().query<{ pending: number }>(this.sql.countPending());
    return rows[0]?.pending ?? 0;
  }

  /**
   * The JetStream sequence of the last published event (max stream_seq of published rows; 0 when none). Pass a
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
        if (outcome === 'idle') await this.pause(this.options.pollIntervalMs, true);
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

  /** 'more': a full batch was published; 'idle': nothing left; 'nats-failed': the head row could not be published. */
  private async relayBatch(client: Client): Promise<'more' | 'idle' | 'nats-failed'> {
    const { rows } = await client.query(this.sql.selectPending(), [this.options.batchSize]);
    this.counters.pending = rows.length;
    if (rows.length === 0) return 'idle';
    for (const raw of rows) {
      if (this.stopped) return 'idle';
      const row = pendingRowSchema.parse(raw);
      let seq: number;
      try {
        seq = await this.publish(row);
      } catch (err) {
        this.counters.failures++;
        this.counters.lastError = errorMessage(err);
        this.logger.warn(
          `Publishing outbox event ${row.event_id} on ${row.subject} failed: ${errorMessage(err)}`,
        );
        await client.query(this.sql.markFailed(), [row.id, errorMessage(err).slice(0, 2000)]);
        return 'nats-failed';
      }
      await client.query(this.sql.markPublished(), [row.id, seq]);
      this.counters.published++;
      this.counters.pending = Math.max(0, this.counters.pending - 1);
      this.counters.lastPublishedAt = new Date();
    }
    return rows.length === this.options.batchSize ? 'more' : 'idle';
  }

  private async publish(row: PendingRow): Promise<number> {
    if (row.payload.id !== row.event_id) {
      throw new Error(
        `outbox row ${row.id}: envelope id ${row.payload.id} differs from event_id ${row.event_id}`,
      );
    }
    if (!this.nats.isConnected) throw new Error('NATS is not connected');
    const ack = await this.publisher.publishEnvelope(row.subject, row.payload, {
      headers: row.headers ?? {},
    });
    if (ack.duplicate)
      this.logger.debug(`Outbox event ${row.event_id} was already in ${ack.stream} (seq ${ack.seq})`);
    return ack.seq;
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
      this.wake();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel === this.options.channel) this.wake();
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
    if (!client) return;
    if (releaseLock && wasLeader) {
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

  /** Waits `ms`; a notification ends the wait early only when `wakeable` (not while backing off). Stop always does. */
  private async pause(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopped) return;
    if (wakeable && this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        if (wakeable || this.stopped) done();
      };
    });
    this.wakeUp = undefined;
    this.woken = false;
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }
}
