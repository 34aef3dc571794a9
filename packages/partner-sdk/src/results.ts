import {
  ContractViolationError,
  type EnvelopeOf,
  matchSubject,
  parseEnvelope,
  type PayloadOf,
  resultsDocumentPublished,
  resultsStream,
  subjectFilter,
  subjectMatches,
} from '@podium/contracts';
import { AckPolicy, DeliverPolicy, type Consumer, type ConsumerMessages, type JsMsg } from 'nats';
import type { PartnerConnection } from './connect';
import { messageOf, PartnerSdkError } from './errors';

/** The subject key partners follow: `ods.results.v1.{discipline}.{rsc}.{documentType}` (production feed). */
export const RESULTS_SUBJECT = resultsDocumentPublished.subject;
/** The stream that keeps it for the whole Games (replayable). */
export const RESULTS_STREAM = resultsStream.name;

/** A result document as results-ingest publishes it: the contract's type (`@podium/contracts` resultsDocumentSchema). */
export type ResultDocument = PayloadOf<typeof RESULTS_SUBJECT>;
/** The whole envelope (CloudEvents attributes + `data`). */
export type ResultEnvelope = EnvelopeOf<typeof RESULTS_SUBJECT>;

/**
 * What to follow, by the subject's tokens (exact values: a subject token cannot match a prefix). Unset fields match
 * everything; set fields are combined with AND.
 */
export interface ResultsFilter {
  /** ODF discipline code, e.g. `ATH`. */
  discipline?: string;
  /** The DocumentCode, e.g. a unit RSC `ATHM100M--------------FNL-000100--`. */
  rsc?: string;
  /** ODF DocumentType, e.g. `DT_RESULT`, `DT_MEDALLISTS`. */
  documentType?: string;
}

/** One valid result, delivered in stream order. */
export interface ResultDelivery {
  /** The logical subject (without the deployment's prefix). */
  subject: string;
  /** The RESULTS stream sequence: the same on every replica and in results-distribution's CIS/SSE/feed. */
  seq: number;
  /** How many times the server delivered it (more than 1: it was not acked in time before, or was nak'd). */
  deliveryCount: number;
  data: ResultDocument;
  envelope: ResultEnvelope;
  /** Acknowledges it now (the SDK does it after the handler, or when the iterator moves on): idempotent. */
  ack(): Promise<void>;
  /** Asks for it again after `delayMs` (default: at once): use it to retry later. */
  nak(delayMs?: number): void;
}

/** A message that is not a valid result (bad JSON, envelope or payload). It is terminated: never delivered again. */
export interface InvalidResult {
  subject: string;
  seq: number;
  /** The zod issues as `{field, message}` (empty for bad JSON). */
  errors: { field: string; message: string }[];
  /** What was wrong, in one line. */
  reason: string;
  /** The raw bytes, for a partner's own dead-letter store. */
  raw: Uint8Array;
}

export interface FollowResultsOptions {
  connection: PartnerConnection;
  /**
   * The durable consumer on RESULTS that remembers where you stopped (default the partner's `partner_<name>`, which
   * the organiser declares: a partner may read and ack it, not create, change or delete it).
   */
  durable?: string;
  filter?: ResultsFilter;
  /**
   * Create the durable when it does not exist (default false). Only where the user may create consumers: local
   * development without NATS authorization (`npm start`), or your own NATS. A partner login cannot.
   */
  create?: boolean;
  /** The handler: the result is acked after it resolves, nak'd (redelivered after `retryDelayMs`) when it throws. */
  handler?: (result: ResultDelivery) => Promise<void> | void;
  /** An invalid message, after it was terminated. Its throwing is reported to `onError`, never stops the loop. */
  onInvalid?: (invalid: InvalidResult) => Promise<void> | void;
  /** A handler that threw (the result will come again), or an `onInvalid` that threw. */
  onError?: (error: unknown, context: { subject: string; seq: number }) => void;
  /** Messages pulled ahead of the handler (default 64): at most this many wait in memory. */
  maxMessages?: number;
  /** Delay before a result whose handler threw comes again (default 5 s). */
  retryDelayMs?: number;
}

/** A running follower: an async iterator of results (when no handler is given), and its stop. */
export interface ResultsFollower extends AsyncIterable<ResultDelivery> {
  /** The durable followed. */
  readonly durable: string;
  /** Stops pulling; what was delivered but not acked comes again on the next start. Resolves when the loop ended. */
  stop(): Promise<void>;
  /** Resolves when the follower ended (stop, connection closed); rejects with what ended it otherwise. */
  readonly closed: Promise<void>;
}

/** The subject filter of a {@link ResultsFilter} (logical, without the prefix), e.g. `ods.results.v1.ATH.*.*`. */
export function resultsFilterSubject(filter: ResultsFilter = {}): string {
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value))) {
      throw new PartnerSdkError('invalid-options', `filter.${name}: a subject token (letters, digits, '-', '_'), got ${JSON.stringify(value)}`);
    }
  }
  const wanted = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ResultsFilter;
  return subjectFilter(RESULTS_SUBJECT, wanted);
}

/**
 * Validates one message of the results subject: its subject must be one of RESULTS_SUBJECT, its body the contract's
 * envelope with a valid result document (`parseEnvelope` of @podium/contracts, the schema results-distribution uses).
 */
export function parseResult(subject: string, raw: Uint8Array): { ok: true; envelope: ResultEnvelope } | { ok: false; errors: InvalidResult['errors']; reason: string } {
  if (matchSubject(RESULTS_SUBJECT, subject) === null) {
    return { ok: false, errors: [], reason: `not a results subject: ${subject}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch (error) {
    return { ok: false, errors: [], reason: `not JSON: ${messageOf(error)}` };
  }
  try {
    return { ok: true, envelope: parseEnvelope(RESULTS_SUBJECT, json) };
  } catch (error) {
    if (error instanceof ContractViolationError) return { ok: false, errors: error.fieldErrors, reason: error.message };
    throw error;
  }
}

/**
 * Follows the results subjects through a durable pull consumer: it resumes after the last message acked, whatever
 * happened to this process. Each message is validated with the contract; a valid one goes to `handler` (or out of the
 * async iterator), an invalid one to `onInvalid` and is terminated. Messages outside `filter` are acked unseen.
 * Backpressure: at most `maxMessages` are pulled ahead, the next pulls wait for the handler.
 *
 *   const follower = await followResults({ connection, filter: { discipline: 'ATH' }, handler: async (r) => save(r.data) });
 *   // or: for await (const r of await followResults({ connection })) { await save(r.data); }  // acked when the loop asks for the next
 */
export async function followResults(options: FollowResultsOptions): Promise<ResultsFollower> {
  const { connection } = options;
  const durable = options.durable ?? connection.durable;
  if (!durable) throw new PartnerSdkError('invalid-options', 'durable: required when the user is not partner-<name>');
  const filterSubject = resultsFilterSubject(options.filter);
  const wireFilter = `${connection.subjectPrefix}${filterSubject}`;
  const stream = `${connection.namePrefix}${RESULTS_STREAM}`;
  const consumer = await openConsumer(options, stream, durable, wireFilter);
  const ackWaitMs = Math.max(1_000, Math.floor(((await consumer.info(true)).config.ack_wait ?? 30_000_000_000) / 1_000_000));
  const messages = await consumer.consume({ max_messages: options.maxMessages ?? 64 });
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const logicalOf = (subject: string): string =>
    connection.subjectPrefix && subject.startsWith(connection.subjectPrefix) ? subject.slice(connection.subjectPrefix.length) : subject;

  /** The next valid result, or null when the consumer stopped. Handles invalid and filtered-out messages itself. */
  const nextResult = async (iterator: AsyncIterator<JsMsg>): Promise<ResultDelivery | null> => {
    for (;;) {
      const step = await iterator.next();
      if (step.done) return null;
      const m = step.value;
      const subject = logicalOf(m.subject);
      const seq = m.seq;
      if (!subjectMatches(filterSubject, subject)) {
        await m.ackAck().catch(() => undefined);
        continue;
      }
      const parsed = parseResult(subject, m.data);
      if (!parsed.ok) {
        // No reason text: nats-server before 2.10.4 ignores a +TERM that carries one.
        m.term();
        try {
          await options.onInvalid?.({ subject, seq, errors: parsed.errors, reason: parsed.reason, raw: m.data });
        } catch (error) {
          options.onError?.(error, { subject, seq });
        }
        continue;
      }
      return delivery(m, subject, parsed.envelope);
    }
  };

  const delivery = (m: JsMsg, subject: string, envelope: ResultEnvelope): ResultDelivery => {
    let settled = false;
    return {
      subject,
      seq: m.seq,
      deliveryCount: m.info.redeliveryCount,
      data: envelope.data,
      envelope,
      ack: async () => {
        if (settled) return;
        settled = true;
        // Double ack: resolves once the server recorded it, so a crash right after never replays an acked result.
        await m.ackAck();
      },
      nak: (delayMs) => {
        if (settled) return;
        settled = true;
        m.nak(delayMs);
      },
    };
  };

  /** Keeps the message from being redelivered while a slow handler works on it. */
  const keepAlive = (jsMsg: JsMsg): NodeJS.Timeout => {
    const timer = setInterval(() => jsMsg.working(), Math.max(500, Math.floor(ackWaitMs / 2)));
    timer.unref();
    return timer;
  };

  let stopping = false;
  /** Ends the iterator's `closed` (a follower with a handler ends when its loop does). */
  let finish: () => void = () => undefined;
  const stop = async (): Promise<void> => {
    if (!stopping) {
      stopping = true;
      if (options.handler) {
        // The loop takes what is already pulled through the handler, then sees the end.
        await messages.close();
      } else {
        // Nobody may read the iterator any more (a `break`): what was pulled but not handled comes again later.
        void messages.close().catch(() => undefined);
        finish();
      }
      // A round trip: the server has taken the unsubscription of this follower's pull inbox before stop resolves, so a
      // result published after it never goes to that inbox (it would wait the ack wait, 30 s, to come again).
      await connection.nc.flush().catch(() => undefined);
    }
    return closed;
  };

  let closed: Promise<void>;
  if (options.handler) {
    const handler = options.handler;
    closed = (async () => {
      const iterator = unwrap(messages);
      for (;;) {
        const result = await nextResult(iterator.iterator);
        if (result === null) return;
        const timer = keepAlive(iterator.last() as JsMsg);
        try {
          await handler(result);
          await result.ack();
        } catch (error) {
          result.nak(retryDelayMs);
          options.onError?.(error, { subject: result.subject, seq: result.seq });
        } finally {
          clearInterval(timer);
        }
      }
    })();
    return { durable, stop, closed, [Symbol.asyncIterator]: () => { throw new PartnerSdkError('invalid-options', 'a follower with a handler is not iterable'); } };
  }

  closed = new Promise<void>((resolve) => (finish = resolve));
  let iterating = false;
  return {
    durable,
    stop,
    closed,
    [Symbol.asyncIterator]: (): AsyncIterator<ResultDelivery> => {
      if (iterating) throw new PartnerSdkError('invalid-options', 'a follower is iterated once');
      iterating = true;
      const iterator = unwrap(messages);
      let previous: ResultDelivery | null = null;
      let timer: NodeJS.Timeout | undefined;
      const settlePrevious = async (): Promise<void> => {
        if (timer) clearInterval(timer);
        timer = undefined;
        if (previous) await previous.ack();
        previous = null;
      };
      return {
        next: async () => {
          // The loop asks for the next one: its body handled the previous one without throwing.
          await settlePrevious();
          const result = await nextResult(iterator.iterator);
          if (result === null) {
            finish();
            return { done: true, value: undefined };
          }
          previous = result;
          timer = keepAlive(iterator.last() as JsMsg);
          return { done: false, value: result };
        },
        // `break`, `return` or a throw in the loop: the current result is not acked (it comes again), the follower stops.
        return: async () => {
          if (timer) clearInterval(timer);
          previous?.nak(retryDelayMs);
          previous = null;
          await stop();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** An iterator over the consumer's messages that remembers the last one handed out. */
function unwrap(messages: ConsumerMessages): { iterator: AsyncIterator<JsMsg>; last: () => JsMsg | undefined } {
  const inner = messages[Symbol.asyncIterator]();
  let last: JsMsg | undefined;
  return {
    iterator: {
      next: async () => {
        const step = await inner.next();
        if (!step.done) last = step.value;
        return step;
      },
    },
    last: () => last,
  };
}

async function openConsumer(options: FollowResultsOptions, stream: string, durable: string, wireFilter: string): Promise<Consumer> {
  const { nc } = options.connection;
  const js = nc.jetstream();
  try {
    return await js.consumers.get(stream, durable);
  } catch (error) {
    const text = messageOf(error);
    if (/permission/i.test(text)) {
      throw new PartnerSdkError('permission-denied', `reading consumer ${durable} on ${stream} was refused: ${text}`, { cause: error });
    }
    if (/stream not found/i.test(text)) {
      throw new PartnerSdkError('stream-not-found', `stream ${stream} does not exist on this server (wrong server or prefix?)`, { cause: error });
    }
    if (!/not found/i.test(text)) throw error;
    if (!options.create) {
      throw new PartnerSdkError(
        'consumer-not-found',
        `durable ${durable} does not exist on ${stream}: the organiser declares partner_<name> for each partner ` +
          '(ask them); in local development without NATS authorization pass create: true',
        { cause: error },
      );
    }
  }
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: wireFilter,
      max_ack_pending: 1_000,
    });
  } catch (error) {
    const text = messageOf(error);
    if (/permission/i.test(text)) {
      throw new PartnerSdkError('permission-denied', `creating consumer ${durable} on ${stream} was refused: ${text}`, { cause: error });
    }
    throw error;
  }
  return js.consumers.get(stream, durable);
}
