import { type BeforeApplicationShutdown, Injectable, Logger, Optional } from '@nestjs/common';
import {
  ContractViolationError,
  type EnvelopeOf,
  matchSubject,
  parseEnvelope,
  type SubjectKey,
  type TokensOf,
} from '@podium/contracts';
import type { ConsumerMessages, JsMsg } from 'nats';
import { unavailableDependency } from '../http/problem.unavailable';
import { isAcceptableCorrelationId, runWithCorrelationId } from '../logging';
import { CORRELATION_ID_HEADER } from './nats.constants';
import { NatsConnectionService } from './nats.connection';
import { type DeadLetterReason, deadLetterHeaders, deadLetterMsgId } from './nats.dead-letter';
import { consumerTarget, ensureConsumer, type ConsumerTarget } from './nats.declarations';
import { fromMsgHeaders } from './nats.headers';
import { type ConsumeOutcome, NatsMetrics } from './nats.metrics';
import { type ConsumerDefinition, consumerSettings, type ResolvedConsumerSettings } from './nats.options';
import { NatsPublisher } from './nats.publisher';
import { errorMessage, exponentialBackoff, scheduledBackoff, sleep, withTimeout } from './timing';
import { consumeWithSpan, JETSTREAM_ATTRIBUTES, MESSAGING_ATTRIBUTES } from '../tracing/tracing.spans';

/**
 * How long each pull request of a consumer lasts (the server sends idle heartbeats every half of it; an idle consumer
 * pulls again when it expires). A pull the server lost, its consumer's leader gone with the request pending (a JetStream
 * server lost), is noticed after two missed heartbeats and made again to the new leader: with nats.js's default (30 s)
 * a consumer stayed idle ~40 s after the loss of a server (tools/faults), with 5 s it resumes within ~10 s.
 */
export const PULL_EXPIRES_MS = 5_000;

/** What a handler learns about the message besides its validated envelope. */
export interface MessageContext<K extends SubjectKey> {
  /** Logical subject (without NATS_PREFIX). */
  subject: string;
  /** Token values read from the subject, e.g. `{ discipline: 'ATH' }`. */
  tokens: TokensOf<K>;
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** Sequence of the message in its stream. */
  streamSequence: number;
  /** The message headers. */
  headers: Readonly<Record<string, string>>;
  /** From the x-correlation-id header; the envelope id when the header is absent or unacceptable. */
  correlationId: string;
}

/** Handles one validated envelope. Resolve to ack; throw to have it redelivered (then dead-lettered). */
export type MessageHandler<K extends SubjectKey> = (
  envelope: EnvelopeOf<K>,
  context: MessageContext<K>,
) => Promise<void> | void;

export interface ConsumerHandle {
  /** JetStream durable name (prefixed). */
  readonly durable: string;
  /** Stops pulling, finishes the messages already received, then resolves. */
  stop(): Promise<void>;
  /** Counters since start. */
  stats(): ConsumerStats;
}

/** Counters for metrics and tests. */
export interface ConsumerStats {
  acked: number;
  retried: number;
  deadLettered: number;
  /** Waits of a handler that met PostgreSQL or NATS unavailable (the message kept, not counted as an attempt). */
  waited: number;
}

/**
 * Runs durable pull consumers. Every inbound payload is validated with the contracts' `parseEnvelope`: an invalid one is
 * dead-lettered at once and terminated (never retried). Valid messages are handled one at a time, in stream order,
 * inside `runWithCorrelationId` (from the x-correlation-id header); success acks, failure naks with backoff, and after
 * `maxAttempts` deliveries the original message is published with failure headers to `dlq.<service>.<subject>`
 * (DLQ stream) and terminated. Consumers stop before the connection drains (beforeApplicationShutdown).
 */
@Injectable()
export class NatsConsumerRunner implements BeforeApplicationShutdown {
  private readonly running = new Set<RunningConsumer<SubjectKey>>();

  constructor(
    private readonly connection: NatsConnectionService,
    private readonly publisher: NatsPublisher,
    @Optional() private readonly metrics?: NatsMetrics,
  ) {}

  /**
   * Starts consuming; returns at once (the loop waits for the connection), so it may be called from onModuleInit or
   * onApplicationBootstrap. The durable consumer is created or updated first (idempotent).
   */
  consume<K extends SubjectKey>(
    definition: ConsumerDefinition<K>,
    handler: MessageHandler<K>,
  ): ConsumerHandle {
    const consumer = new RunningConsumer<K>(
      this.connection,
      this.publisher,
      definition,
      handler,
      (c) => this.running.delete(c as unknown as RunningConsumer<SubjectKey>),
      this.metrics,
    );
    this.running.add(consumer as unknown as RunningConsumer<SubjectKey>);
    return consumer;
  }

  /** Stops every consumer (bounded by drainTimeoutMs). */
  async stopAll(): Promise<void> {
    const all = [...this.running].map((c) => c.stop());
    await withTimeout(
      Promise.all(all),
      this.connection.options.drainTimeoutMs,
      'consumers did not stop in time',
    ).catch((err: unknown) => new Logger('NatsConsumer').warn(errorMessage(err)));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll();
  }
}

class RunningConsumer<K extends SubjectKey> implements ConsumerHandle {
  readonly durable: string;
  private readonly logger: Logger;
  private readonly settings: ResolvedConsumerSettings;
  private readonly target: ConsumerTarget;
  private readonly abort = new AbortController();
  private messages?: ConsumerMessages;
  private stopping = false;
  private readonly done: Promise<void>;
  private readonly counters: ConsumerStats = { acked: 0, retried: 0, deadLettered: 0, waited: 0 };
  /** nats_consume_duration_seconds of this durable (a no-op without metrics). */
  private readonly recordConsume: (outcome: ConsumeOutcome, seconds: number) => void;
  /** Stops showing this durable's pending counts (nats_consumer_pending_messages). */
  private readonly untrack: () => void;

  constructor(
    private readonly connection: NatsConnectionService,
    private readonly publisher: NatsPublisher,
    private readonly definition: ConsumerDefinition<K>,
    private readonly handler: MessageHandler<K>,
    private readonly onStopped: (consumer: RunningConsumer<K>) => void,
    metrics?: NatsMetrics,
  ) {
    this.settings = consumerSettings(definition);
    this.target = consumerTarget(definition, connection.naming);
    this.durable = this.target.config.durable_name ?? definition.durable;
    this.logger = new Logger(`NatsConsumer:${this.durable}`);
    this.recordConsume = metrics?.consumeRecorder(this.target.stream, this.durable) ?? (() => undefined);
    this.untrack = metrics?.trackConsumer(this.target.stream, this.durable) ?? (() => undefined);
    this.done = this.run().finally(() => {
      this.untrack();
      this.onStopped(this);
    });
  }

  stats(): ConsumerStats {
    return { ...this.counters };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.messages?.close();
    await this.done;
  }

  private async run(): Promise<void> {
    await Promise.race([this.connection.ready(), sleepUntilAborted(this.abort.signal)]);
    let failures = 0;
    while (!this.stopping) {
      try {
        await ensureConsumer(this.connection.manager, this.target);
        const consumer = await this.connection.jetstream.consumers.get(this.target.stream, this.durable);
        const messages = await consumer.consume({ max_messages: this.settings.batchSize, expires: PULL_EXPIRES_MS });
        this.messages = messages;
        if (this.stopping) {
          await messages.close();
          break;
        }
        this.logger.log(`Consuming ${this.target.config.filter_subject} from ${this.target.stream}`);
        failures = 0;
        for await (const msg of messages) {
          const started = performance.now();
          this.recordConsume(await this.process(msg), (performance.now() - started) / 1e3);
        }
        if (!this.stopping) throw new Error('message iterator ended unexpectedly');
      } catch (err) {
        if (this.stopping) break;
        if (this.connection.connection.isClosed()) {
          this.logger.warn(`NATS connection closed; consumer stops (${errorMessage(err)})`);
          break;
        }
        failures++;
        const delay = exponentialBackoff(failures, 1_000, 30_000);
        this.logger.error(`Consumer failed (${errorMessage(err)}); restarting in ${delay} ms`);
        await sleep(delay, this.abort.signal);
      }
    }
    this.logger.log('Stopped');
  }

  /** Handles one delivered message; says how it ended (for nats_consume_duration_seconds). */
  private async process(msg: JsMsg): Promise<ConsumeOutcome> {
    const subject = this.connection.naming.logicalSubject(msg.subject);
    const deliveries = msg.info.deliveryCount;
    const headers = fromMsgHeaders(msg.headers);

    let envelope: EnvelopeOf<K>;
    let tokens: TokensOf<K>;
    try {
      const matched = matchSubject(this.definition.key, subject);
      if (!matched) throw new Error(`subject ${subject} is not a subject of ${this.definition.key}`);
      tokens = matched;
      envelope = parseEnvelope(this.definition.key, parseJson(msg));
    } catch (err) {
      const detail =
        err instanceof ContractViolationError ? err.message : `unreadable message: ${errorMessage(err)}`;
      this.logger.warn(
        `Invalid message ${msg.info.stream}#${msg.seq} on ${subject}, dead-lettering: ${detail}`,
      );
      return this.deadLetter(msg, subject, headers, 'invalid-payload', detail);
    }

    if (deliveries > this.settings.maxAttempts) {
      // Only reachable when an earlier delivery never answered (crash, ack wait exceeded) or dead-lettering failed.
      return this.deadLetter(
        msg,
        subject,
        headers,
        'max-attempts',
        `not acknowledged after ${deliveries - 1} deliveries`,
      );
    }

    const fromHeader = headerValue(headers, CORRELATION_ID_HEADER);
    const correlationId = isAcceptableCorrelationId(fromHeader) ? fromHeader : envelope.id;
    const context: MessageContext<K> = {
      subject,
      tokens,
      deliveryCount: deliveries,
      streamSequence: msg.seq,
      headers,
      correlationId,
    };
    for (let outage = 1; ; outage++) {
      try {
        // With tracing on, inside a CONSUMER span child of the message's traceparent (one per attempt).
        await consumeWithSpan(
          subject,
          headers,
          {
            [MESSAGING_ATTRIBUTES.consumerGroup]: this.durable,
            [MESSAGING_ATTRIBUTES.messageId]: envelope.id,
            [JETSTREAM_ATTRIBUTES.stream]: msg.info.stream,
            [JETSTREAM_ATTRIBUTES.sequence]: msg.seq,
          },
          () => runWithCorrelationId(correlationId, async () => this.handler(envelope, context)),
        );
        msg.ack();
        this.counters.acked++;
        return 'ok';
      } catch (err) {
        const dependency = unavailableDependency(err);
        if (dependency === undefined || this.stopping) {
          return this.failed(msg, subject, headers, envelope.id, deliveries, err);
        }
        // Not the message's fault: PostgreSQL or NATS is away for a moment (a restart, a failover). The message is kept
        // (its ack wait extended) and handled again after a backoff, without a new delivery: an outage of any length
        // never dead-letters a good message, and the messages after it wait, in order.
        const delay = exponentialBackoff(outage, 1_000, 30_000);
        this.logger.warn(
          `Handler of ${subject} (${envelope.id}) met the ${dependency} unavailable (${errorMessage(err)}); ` +
            `trying again in ${delay} ms, the message kept (not counted as an attempt)`,
        );
        this.counters.waited++;
        await this.keepWhile(msg, delay);
        if (this.stopping) {
          // Stopping: the message comes again to whoever consumes next (one more delivery, counted).
          msg.nak();
          return 'retry';
        }
      }
    }
  }

  /** Waits `ms` while keeping the message: its ack wait is extended (working) before it can expire. */
  private async keepWhile(msg: JsMsg, ms: number): Promise<void> {
    const step = Math.max(500, Math.floor(this.settings.ackWaitMs / 2));
    for (let left = ms; left > 0 && !this.stopping; left -= step) {
      msg.working();
      await sleep(Math.min(step, left), this.abort.signal);
    }
  }

  /** A handler failure that is the message's own: retried with backoff, dead-lettered after maxAttempts deliveries. */
  private async failed(
    msg: JsMsg,
    subject: string,
    headers: Record<string, string>,
    id: string,
    deliveries: number,
    err: unknown,
  ): Promise<ConsumeOutcome> {
    if (deliveries >= this.settings.maxAttempts) {
      this.logger.error(`Handler failed on ${subject} (${id}) after ${deliveries} attempts, dead-lettering: ${errorMessage(err)}`);
      return this.deadLetter(msg, subject, headers, 'max-attempts', errorMessage(err));
    }
    const delay = scheduledBackoff(deliveries, this.settings.backoffMs);
    this.logger.warn(
      `Handler failed on ${subject} (${id}), attempt ${deliveries}/${this.settings.maxAttempts}, retry in ${delay} ms: ${errorMessage(err)}`,
    );
    msg.nak(delay);
    this.counters.retried++;
    return 'retry';
  }

  /**
   * Publishes the original message to the DLQ then terminates it ('dead_letter'); if that publish fails, naks so it is
   * tried again ('retry').
   */
  private async deadLetter(
    msg: JsMsg,
    subject: string,
    headers: Record<string, string>,
    reason: DeadLetterReason,
    error: string,
  ): Promise<ConsumeOutcome> {
    const naming = this.connection.naming;
    const service = this.connection.options.name;
    const stream = msg.info.stream;
    try {
      await this.publisher.publishRaw(naming.subject(naming.deadLetterSubject(service, subject)), msg.data, {
        msgID: deadLetterMsgId(stream, msg.seq, this.durable),
        headers: deadLetterHeaders(headers, {
          reason,
          error,
          service,
          consumer: this.durable,
          subject,
          stream,
          sequence: msg.seq,
          deliveries: msg.info.deliveryCount,
          time: new Date(),
        }),
      });
      msg.term();
      this.counters.deadLettered++;
      return 'dead_letter';
    } catch (err) {
      const delay = scheduledBackoff(msg.info.deliveryCount, this.settings.backoffMs);
      this.logger.error(
        `Dead-lettering ${stream}#${msg.seq} failed (${errorMessage(err)}); retry in ${delay} ms`,
      );
      msg.nak(delay);
      return 'retry';
    }
  }
}

function parseJson(msg: JsMsg): unknown {
  return JSON.parse(Buffer.from(msg.data).toString('utf8'));
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower && value !== '') return value;
  }
  return undefined;
}

function sleepUntilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
