import { Injectable, Optional } from '@nestjs/common';
import {
  envelopeFor,
  type EnvelopeOf,
  type PayloadOf,
  subjectFor,
  type SubjectKey,
  type TokenArgs,
  type TokenNames,
  type TokensOf,
} from '@podium/contracts';
import type { PubAck } from 'nats';
import { getCorrelationId } from '../logging';
import { CORRELATION_ID_HEADER } from './nats.constants';
import { NatsConnectionService } from './nats.connection';
import { toMsgHeaders } from './nats.headers';
import { NatsMetrics } from './nats.metrics';
import { publishWithSpan } from '../tracing/tracing.spans';

interface PublishCommonOptions {
  /** Envelope id (uuid), also the JetStream Nats-Msg-Id: reuse it when retrying the same event. Default: new uuid. */
  id?: string;
  /** Event time. Default: now. */
  time?: Date | string;
  /** Extra headers (x-correlation-id is set from the current correlation id). */
  headers?: Readonly<Record<string, string>>;
  /** PubAck timeout. Default: the module's requestTimeoutMs. */
  timeoutMs?: number;
}

/** Options of {@link NatsPublisher.publish}: `tokens` is required exactly when the subject template has tokens. */
export type PublishOptions<K extends SubjectKey> = PublishCommonOptions &
  ([TokenNames<K>] extends [never] ? { tokens?: Record<string, never> } : { tokens: TokensOf<K> });

export type PublishArgs<K extends SubjectKey> = [TokenNames<K>] extends [never]
  ? [options?: PublishOptions<K>]
  : [options: PublishOptions<K>];

/** What {@link NatsPublisher.publish} returns: the JetStream ack plus what was sent. */
export interface PublishResult<K extends SubjectKey> {
  /** Stream that stored the message, its sequence there, and whether it was a duplicate of an earlier publish. */
  ack: PubAck;
  /** Logical subject (without NATS_PREFIX). */
  subject: string;
  envelope: EnvelopeOf<K>;
}

/** Minimal envelope shape the relay republishes (validated when it was written to the outbox). */
export interface EnvelopeLike {
  id: string;
}

/**
 * Typed JetStream publishing: the subject and payload type come from the contracts map, so publishing the wrong payload
 * on a subject is a compile error and an invalid value throws a ContractViolationError before anything is sent.
 */
@Injectable()
export class NatsPublisher {
  constructor(
    private readonly connection: NatsConnectionService,
    @Optional() private readonly metrics?: NatsMetrics,
  ) {}

  async publish<K extends SubjectKey>(
    key: K,
    data: PayloadOf<K>,
    ...[options]: PublishArgs<K>
  ): Promise<PublishResult<K>> {
    const opts: PublishCommonOptions & { tokens?: unknown } = options ?? {};
    const subject = subjectFor(key, ...([opts.tokens] as TokenArgs<K>));
    const envelope = envelopeFor(key, data, { id: opts.id, time: opts.time });
    const ack = await this.publishEnvelope(subject, envelope, {
      headers: { [CORRELATION_ID_HEADER]: getCorrelationId(), ...opts.headers },
      timeoutMs: opts.timeoutMs,
    });
    return { ack, subject, envelope };
  }

  /**
   * Publishes an already built envelope on a logical subject (NATS_PREFIX is applied here) with the envelope id as
   * Nats-Msg-Id, so republishing the same envelope within the stream's duplicate window is a no-op (`ack.duplicate`).
   * Used by the outbox relay; headers are sent as given.
   */
  async publishEnvelope(
    subject: string,
    envelope: EnvelopeLike,
    options: { headers?: Readonly<Record<string, string | undefined>>; timeoutMs?: number } = {},
  ): Promise<PubAck> {
    if (typeof envelope.id !== 'string' || envelope.id === '') {
      throw new TypeError(`Cannot publish on ${subject}: the envelope has no id`);
    }
    return this.publishRaw(this.connection.naming.subject(subject), Buffer.from(JSON.stringify(envelope)), {
      msgID: envelope.id,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
    });
  }

  /**
   * Low level: publish bytes on a wire subject (prefix already applied). With tracing on, a PRODUCER span continues the
   * trace the headers carry (an outbox row's) or the active one, and the message carries its traceparent.
   */
  async publishRaw(
    wireSubject: string,
    payload: Uint8Array,
    options: {
      msgID?: string;
      headers?: Readonly<Record<string, string | undefined>>;
      timeoutMs?: number;
    } = {},
  ): Promise<PubAck> {
    const started = performance.now();
    try {
      const timeout = options.timeoutMs ?? this.connection.options.requestTimeoutMs;
      const ack = await publishWithSpan(this.connection.naming.logicalSubject(wireSubject), options.msgID, options.headers, (headers) =>
        this.connection.jetstream.publish(wireSubject, payload, {
          msgID: options.msgID,
          headers: headers ? toMsgHeaders(headers) : undefined,
          timeout,
        }),
      );
      this.metrics?.observePublish(wireSubject, ack.duplicate ? 'duplicate' : 'ok', (performance.now() - started) / 1e3);
      return ack;
    } catch (err) {
      this.metrics?.observePublish(wireSubject, 'error', (performance.now() - started) / 1e3);
      throw err;
    }
  }
}
