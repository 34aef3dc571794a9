import { Injectable, Optional } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { NatsConnectionService } from './nats.connection';
import { withTimeout } from './timing';

/** How a publish ended: stored by the stream, already stored (same Nats-Msg-Id within the duplicate window), or failed. */
export type PublishOutcome = 'ok' | 'duplicate' | 'error';

/**
 * How a consumed message ended: handled and acknowledged, handed back for a retry (nak), dead-lettered (terminated),
 * or (a follower without retries) skipped after its handler threw.
 */
export type ConsumeOutcome = 'ok' | 'retry' | 'dead_letter' | 'error';

/** Buckets of nats_publish_duration_seconds and nats_consume_duration_seconds, in seconds. */
export const NATS_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A consumer's counts are asked of the server at most this often, however many scrapers ask (ms). */
const CONSUMER_INFO_MAX_AGE_MS = 5_000;
/** A scrape waits this long for the consumers' counts, then shows the last ones (ms). */
const CONSUMER_INFO_TIMEOUT_MS = 1_000;

interface TrackedConsumer {
  /** Wire names (NATS_PREFIX applied), as the server knows them. */
  readonly wireStream: string;
  readonly wireDurable: string;
  /** Logical names, the series' labels. */
  readonly labels: { stream: string; durable: string };
  /** Last counts read from the server (undefined: never read). */
  pending?: number;
  ackPending?: number;
}

/**
 * The NATS series every service exposes, under the same names and labels (docs/operations.md#metrics):
 *
 * - `nats_publish_duration_seconds{subject_root, outcome}`: JetStream publishes until their ack. `subject_root` is the
 *   subject's first three tokens (`ods.results.v1`, `oms.accreditation.v1`, `dlq.<service>.<domain>`), never the whole
 *   subject, which carries RSCs and editions (a series per document would be unbounded).
 * - `nats_consume_duration_seconds{stream, durable, outcome}`: a consumed message from its delivery to its ack, nak or
 *   term (the handler's time, waits for PostgreSQL or NATS included).
 * - `nats_consumer_pending_messages{stream, durable}` and `nats_consumer_ack_pending_messages{stream, durable}`: the
 *   server's num_pending (in the stream, not yet delivered: the lag) and num_ack_pending (delivered, not yet
 *   acknowledged) of each durable this process consumes with, read from the consumer info when scraped (one request per
 *   durable, at most every 5 s, bounded by a 1 s timeout: a scrape while NATS is away shows the last counts).
 *
 * Without MetricsService (a module built without MetricsModule) every method is a no-op.
 */
@Injectable()
export class NatsMetrics {
  private readonly publishDuration?: Histogram<'subject_root' | 'outcome'>;
  private readonly consumeDuration?: Histogram<'stream' | 'durable' | 'outcome'>;
  private readonly tracked = new Map<string, TrackedConsumer>();
  private refreshing?: Promise<void>;
  private refreshedAt = 0;

  constructor(
    private readonly connection: NatsConnectionService,
    @Optional() metrics?: MetricsService,
  ) {
    if (!metrics) return;
    this.publishDuration = metrics.histogram({
      name: 'nats_publish_duration_seconds',
      help: 'JetStream publishes until their ack, by subject root (first three tokens) and outcome (ok, duplicate, error).',
      labelNames: ['subject_root', 'outcome'],
      buckets: NATS_DURATION_BUCKETS,
    });
    this.consumeDuration = metrics.histogram({
      name: 'nats_consume_duration_seconds',
      help: 'Consumed JetStream messages from delivery to ack/nak/term, by stream, durable and outcome (ok, retry, dead_letter, error).',
      labelNames: ['stream', 'durable', 'outcome'],
      buckets: NATS_DURATION_BUCKETS,
    });
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- prom-client calls collect() with its own `this`
    const pending = metrics.gauge({
      name: 'nats_consumer_pending_messages',
      help: "Messages in the stream not yet delivered to this durable (the server's num_pending): the consumer's lag.",
      labelNames: ['stream', 'durable'],
      async collect() {
        await self.refresh();
        pending.reset();
        for (const c of self.tracked.values()) if (c.pending !== undefined) pending.set(c.labels, c.pending);
      },
    });
    const ackPending = metrics.gauge({
      name: 'nats_consumer_ack_pending_messages',
      help: "Messages delivered to this durable and not yet acknowledged (the server's num_ack_pending).",
      labelNames: ['stream', 'durable'],
      async collect() {
        await self.refresh();
        ackPending.reset();
        for (const c of self.tracked.values()) if (c.ackPending !== undefined) ackPending.set(c.labels, c.ackPending);
      },
    });
  }

  /** Records one publish (seconds from the call to the ack or the failure). */
  observePublish(wireSubject: string, outcome: PublishOutcome, seconds: number): void {
    this.publishDuration?.observe({ subject_root: subjectRoot(this.connection.naming.logicalSubject(wireSubject)), outcome }, seconds);
  }

  /** Records one consumed message; `stream` and `durable` are wire names (the prefix is taken off for the labels). */
  observeConsume(wireStream: string, wireDurable: string, outcome: ConsumeOutcome, seconds: number): void {
    this.consumeDuration?.observe(
      { stream: this.logicalName(wireStream), durable: this.logicalName(wireDurable), outcome },
      seconds,
    );
  }

  /** A recorder bound to one durable's labels (for a hot loop: no label lookup per message). */
  consumeRecorder(wireStream: string, wireDurable: string): (outcome: ConsumeOutcome, seconds: number) => void {
    const histogram = this.consumeDuration;
    if (!histogram) return () => undefined;
    const stream = this.logicalName(wireStream);
    const durable = this.logicalName(wireDurable);
    const bound = new Map<ConsumeOutcome, { observe(value: number): void }>();
    return (outcome, seconds) => {
      let child = bound.get(outcome);
      if (!child) {
        child = histogram.labels({ stream, durable, outcome });
        bound.set(outcome, child);
      }
      child.observe(seconds);
    };
  }

  /**
   * Shows `wireDurable`'s pending counts on the server in nats_consumer_pending_messages (and _ack_pending_) from now
   * on; returns the call that stops (the durable's series go with the next scrape).
   */
  trackConsumer(wireStream: string, wireDurable: string): () => void {
    const key = `${wireStream}\u0000${wireDurable}`;
    const entry: TrackedConsumer = {
      wireStream,
      wireDurable,
      labels: { stream: this.logicalName(wireStream), durable: this.logicalName(wireDurable) },
    };
    this.tracked.set(key, entry);
    this.refreshedAt = 0;
    return () => {
      if (this.tracked.get(key) === entry) this.tracked.delete(key);
    };
  }

  /** Reads the tracked consumers' counts from the server, at most every CONSUMER_INFO_MAX_AGE_MS (one read at a time). */
  refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (Date.now() - this.refreshedAt < CONSUMER_INFO_MAX_AGE_MS || this.tracked.size === 0) return Promise.resolve();
    if (!this.connection.isConnected) return Promise.resolve();
    const consumers = [...this.tracked.values()];
    const manager = this.connection.manager;
    const reads = Promise.all(
      consumers.map(async (consumer) => {
        try {
          const info = await withTimeout(
            manager.consumers.info(consumer.wireStream, consumer.wireDurable),
            CONSUMER_INFO_TIMEOUT_MS,
            'consumer info timed out',
          );
          consumer.pending = info.num_pending;
          consumer.ackPending = info.num_ack_pending;
        } catch {
          // Not there (yet, or any more) or NATS is slow: the last counts stay (none before the first read).
        }
      }),
    );
    const refreshing = reads.then(() => {
      this.refreshedAt = Date.now();
      this.refreshing = undefined;
    });
    this.refreshing = refreshing;
    return refreshing;
  }

  private logicalName(wire: string): string {
    const prefix = this.connection.naming.namePrefix;
    return prefix !== '' && wire.startsWith(prefix) ? wire.slice(prefix.length) : wire;
  }
}

/** The first three tokens of a logical subject (`ods.results.v1.ATH.<rsc>.DT_RESULT` -> `ods.results.v1`). */
export function subjectRoot(subject: string): string {
  let end = -1;
  for (let tokens = 0; tokens < 3; tokens++) {
    end = subject.indexOf('.', end + 1);
    if (end === -1) return subject;
  }
  return subject.slice(0, end);
}
