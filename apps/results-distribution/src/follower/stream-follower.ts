import { Logger } from '@nestjs/common';
import { type ConsumeOutcome, type NatsConnectionService, type NatsMetrics, PULL_EXPIRES_MS } from '@podium/platform';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JsMsg,
  nanos,
  ReplayPolicy,
} from 'nats';

export interface FollowerOptions {
  /** Logical stream name (NATS_PREFIX is applied), e.g. RESULTS. */
  stream: string;
  /** Logical filter subject, e.g. 'ods.results.v1.>'. */
  filterSubject: string;
  /** Logical durable name, e.g. 'results-distribution-results-pod-1'. */
  durable: string;
  /**
   * Where to start: 'after' a sequence (the checkpoint's; 0 = from the beginning), or 'last-per-subject' (a
   * latest-only stream such as RESULTS_CURRENT).
   */
  start: () => { after: number } | 'last-per-subject';
  /** Explicit acks (RESULTS, SCHEDULES) or none (the DT_CURRENT fast path, latest only). */
  ack: 'explicit' | 'none';
  /** Handles one message synchronously, in stream order. Must not throw (a throw is logged and the message skipped). */
  handle: (msg: JsMsg) => void;
  /**
   * Called after each message with how many more wait for this instance (held by the server for its consumer, the
   * JetStream pending count delivered with the message, plus those received and not yet handled) and how late the
   * message was handled (ms since the stream stored it): a backlog also builds up unseen by the server, in this
   * process's socket and the consumer's pull window, which only the message's age shows.
   */
  onBacklog?: (waiting: number, lateMs: number) => void;
  /** Durables of instances gone for this long are removed by the server. */
  inactiveThresholdMs?: number;
  /** Messages pulled at a time. */
  batch?: number;
}

/**
 * Follows one JetStream stream with this instance's durable pull consumer. At every (re)start the durable is created
 * afresh to deliver from where the in-memory state stands (the checkpoint's sequence + 1), so nothing between the
 * checkpoint and the stream's end is missed and nothing before it is delivered again. Each replica has its own durable
 * (named after INSTANCE_ID), because each keeps the whole state; durables of vanished replicas expire on the server
 * (`inactive_threshold`).
 */
export class StreamFollower {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private stopping = false;
  private running?: Promise<void>;
  private caughtUpFlag = false;
  private readonly caughtUpWaiters: (() => void)[] = [];
  private handledCount = 0;
  /** Messages handled since the current durable was created (compared with its delivered count). */
  private handledHere = 0;
  private lastSeq = 0;
  /** nats_consume_duration_seconds of this durable, and the end of its nats_consumer_pending_messages. */
  private readonly recordConsume: (outcome: ConsumeOutcome, seconds: number) => void;
  private untrack: () => void = () => undefined;

  /** `metrics`: the platform's NATS series (consume durations, the durable's pending count); none in unit tests. */
  constructor(
    private readonly connection: NatsConnectionService,
    private readonly metrics: NatsMetrics | undefined,
    private readonly options: FollowerOptions,
  ) {
    this.logger = new Logger(`Follower:${options.stream}`);
    this.recordConsume = metrics?.consumeRecorder(this.wireStream, this.wireDurable) ?? (() => undefined);
  }

  get wireStream(): string {
    return this.connection.naming.name(this.options.stream);
  }

  get wireDurable(): string {
    return this.connection.naming.name(this.options.durable);
  }

  /** True once the backlog that existed when following started has been handled. */
  get caughtUp(): boolean {
    return this.caughtUpFlag;
  }

  get handled(): number {
    return this.handledCount;
  }

  get lastSequence(): number {
    return this.lastSeq;
  }

  /** True once {@link start} succeeded. */
  get started(): boolean {
    return this.running !== undefined;
  }

  /** Creates the durable and starts the consume loop; resolves once consuming (not once caught up). */
  async start(): Promise<void> {
    await this.connection.ready();
    await this.createConsumer();
    const consumer = await this.connection.jetstream.consumers.get(this.wireStream, this.wireDurable);
    this.messages = await consumer.consume({ max_messages: this.options.batch ?? 500, expires: PULL_EXPIRES_MS });
    this.running = this.loop(this.messages);
    this.untrack = this.metrics?.trackConsumer(this.wireStream, this.wireDurable) ?? (() => undefined);
    void this.watchCatchUp();
  }

  /** Resolves when caught up (see {@link caughtUp}). */
  whenCaughtUp(): Promise<void> {
    if (this.caughtUpFlag) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.untrack();
    await this.messages?.close().catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  private async createConsumer(): Promise<void> {
    const jsm = this.connection.manager;
    try {
      await jsm.consumers.delete(this.wireStream, this.wireDurable);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const start = this.options.start();
    const config: Partial<ConsumerConfig> = {
      durable_name: this.wireDurable,
      description: `results-distribution: follows ${this.options.filterSubject} into memory`,
      ack_policy: this.options.ack === 'explicit' ? AckPolicy.Explicit : AckPolicy.None,
      replay_policy: ReplayPolicy.Instant,
      filter_subject: this.connection.naming.subject(this.options.filterSubject),
      inactive_threshold: nanos(this.options.inactiveThresholdMs ?? 60 * 60_000),
      ...(this.options.ack === 'explicit' ? { ack_wait: nanos(30_000), max_ack_pending: 10_000 } : {}),
    };
    if (start === 'last-per-subject') {
      config.deliver_policy = DeliverPolicy.LastPerSubject;
    } else if (start.after > 0) {
      config.deliver_policy = DeliverPolicy.StartSequence;
      config.opt_start_seq = start.after + 1;
      const info = await jsm.streams.info(this.wireStream);
      if (info.state.first_seq > start.after + 1 && info.state.messages > 0) {
        this.logger.warn(
          `The stream starts at ${info.state.first_seq} but the checkpoint is at ${start.after}: messages ` +
            `${start.after + 1}..${info.state.first_seq - 1} are gone from the stream and cannot be replayed`,
        );
      }
    } else {
      config.deliver_policy = DeliverPolicy.All;
    }
    await jsm.consumers.add(this.wireStream, config);
    this.handledHere = 0;
    const where = start === 'last-per-subject' ? 'the last message per subject' : `sequence ${start.after + 1}`;
    this.logger.log(`Following ${this.wireStream} from ${where} with durable ${this.wireDurable}`);
  }

  private async loop(messages: ConsumerMessages): Promise<void> {
    let current = messages;
    for (;;) {
      try {
        for await (const msg of current) {
          this.lastSeq = msg.seq;
          const started = performance.now();
          let outcome: ConsumeOutcome = 'ok';
          try {
            this.options.handle(msg);
          } catch (err) {
            outcome = 'error';
            this.logger.error(`Handling ${msg.subject} #${msg.seq} failed, skipped: ${errorMessage(err)}`);
          }
          this.handledCount++;
          this.handledHere++;
          if (this.options.ack === 'explicit') msg.ack();
          this.recordConsume(outcome, (performance.now() - started) / 1e3);
          // getPending() counts the message being handled too (nats.js decrements it once the loop asks for the next).
          this.options.onBacklog?.(msg.info.pending + Math.max(0, current.getPending() - 1), lateMs(msg));
        }
        if (this.stopping) return;
        throw new Error('the message iterator ended');
      } catch (err) {
        if (this.stopping || this.connection.connection.isClosed()) return;
        this.logger.error(`Consuming ${this.wireStream} failed (${errorMessage(err)}); recreating the consumer in 1 s`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (this.stopping) return;
        try {
          await this.createConsumer();
          const consumer = await this.connection.jetstream.consumers.get(this.wireStream, this.wireDurable);
          current = await consumer.consume({ max_messages: this.options.batch ?? 500, expires: PULL_EXPIRES_MS });
          this.messages = current;
        } catch (retryErr) {
          this.logger.error(`Recreating the consumer failed: ${errorMessage(retryErr)}`);
        }
      }
    }
  }

  private async watchCatchUp(): Promise<void> {
    while (!this.stopping && !this.caughtUpFlag) {
      try {
        const info = await this.connection.manager.consumers.info(this.wireStream, this.wireDurable);
        // Everything the server holds for us was delivered, and everything delivered was handled.
        if (info.num_pending === 0 && this.handledHere >= info.delivered.consumer_seq) {
          this.caughtUpFlag = true;
          this.logger.log(`Caught up with ${this.wireStream} (${this.handledCount} messages replayed)`);
          this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
          return;
        }
      } catch (err) {
        this.logger.warn(`Cannot read consumer info: ${errorMessage(err)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Milliseconds since the stream stored the message (the server's clock: NTP-close to ours). */
export function lateMs(msg: JsMsg): number {
  return Date.now() - msg.info.timestampNanos / 1e6;
}

function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const apiError = (err as { api_error?: { code?: number } }).api_error;
  return apiError?.code === 404 || (err as { code?: unknown }).code === '404';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
