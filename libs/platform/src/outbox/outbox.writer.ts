import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ContractViolationError,
  DATA_CONTENT_TYPE,
  type Envelope,
  envelopeAttributesSchema,
  envelopeFor,
  makeEnvelope,
  type PayloadOf,
  subjectDefinition,
  subjectFor,
  type SubjectKey,
  type TokenArgs,
  type TokenNames,
  type TokensOf,
} from '@podium/contracts';
import { getCorrelationId } from '../logging';
import { CORRELATION_ID_HEADER } from '../nats/nats.constants';
import { injectTraceContext } from '../tracing/tracing.propagation';
import { OUTBOX_OPTIONS, type ResolvedOutboxOptions } from './outbox.options';
import { OutboxSql } from './outbox.sql';

/** Where the outbox row is written: any transaction client with raw execution (a Prisma transaction client fits). */
export interface OutboxTransaction {
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
}

interface EnqueueCommonOptions {
  /** Envelope id (uuid): also the outbox event_id and the JetStream Nats-Msg-Id. Default: new uuid. */
  id?: string;
  /** Event time. Default: now. */
  time?: Date | string;
  /** Extra headers stored with the event (x-correlation-id is taken from the current correlation id). */
  headers?: Readonly<Record<string, string>>;
  /**
   * `data` was built by the caller from input it has already validated (e.g. a parsed ODF message): skip parsing it
   * against the contract again. The compiler still checks its type and the envelope attributes are still checked.
   * Default false: `data` is parsed against the subject's schema (ContractViolationError otherwise).
   */
  validated?: boolean;
}

/** `tokens` is required exactly when the subject template has tokens. */
export type EnqueueOptions<K extends SubjectKey> = EnqueueCommonOptions &
  ([TokenNames<K>] extends [never] ? { tokens?: Record<string, never> } : { tokens: TokensOf<K> });

export type EnqueueArgs<K extends SubjectKey> = [TokenNames<K>] extends [never]
  ? [options?: EnqueueOptions<K>]
  : [options: EnqueueOptions<K>];

/** One event of {@link OutboxWriter.enqueueMany}: its data and the options {@link OutboxWriter.enqueue} takes. */
export type EnqueueManyItem<K extends SubjectKey> = { data: PayloadOf<K> } & EnqueueOptions<K>;

/** An outbox row ready to be written: the envelope checked and serialised once. */
export interface PreparedOutboxEvent {
  /** Envelope id = event_id = Nats-Msg-Id. */
  readonly id: string;
  /** Concrete (logical) subject. */
  readonly subject: string;
  /** The envelope as JSON text, as stored and as the relay publishes it (byte for byte). */
  readonly payload: string;
  /**
   * Size in bytes of what the relay will publish (the payload's UTF-8 bytes), so a caller can refuse an event that
   * could not fit in one NATS message before storing anything.
   */
  readonly publishedBytes: number;
  /** Headers as JSON text. */
  readonly headers: string;
  /** The same headers (for {@link OutboxRelay.handOver}). */
  readonly headerValues: Readonly<Record<string, string>>;
}

/** The outbox insert as a part of the caller's own statement (see {@link OutboxWriter.statementPart}). */
export interface OutboxStatementPart {
  /** A data-modifying CTE body: inserts the event once per row of the gate CTE; RETURNING id. */
  readonly insert: string;
  /** A SELECT that notifies the relay once per inserted row (reference it, or it does not run). */
  readonly notify: string;
  /** The parameter values, in order, starting at the statement's `firstParam`. */
  values(event: PreparedOutboxEvent): unknown[];
}

/**
 * Writes events to the transactional outbox in the caller's transaction: the event is published (by the OutboxRelay)
 * if and only if the transaction commits.
 *
 * ```ts
 * await prisma.$transaction(async (tx) => {
 *   await tx.unit.update(...);
 *   await outbox.enqueue(tx, 'oms.schedules.v1.unit.{discipline}.updated', unitState, { tokens: { discipline: 'ATH' } });
 * });
 * ```
 *
 * A batch writes its events with one statement ({@link enqueueMany}). A hot path that writes in one statement
 * instead prepares the event ({@link prepare}) and embeds {@link statementPart} in that statement.
 */
@Injectable()
export class OutboxWriter {
  private readonly sql: OutboxSql;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: Pick<ResolvedOutboxOptions, 'table' | 'channel'>,
  ) {
    this.sql = new OutboxSql(options.table);
  }

  /** Validates `data` against the contract (ContractViolationError otherwise), inserts the envelope; returns its id. */
  async enqueue<K extends SubjectKey>(
    tx: OutboxTransaction,
    key: K,
    data: PayloadOf<K>,
    ...args: EnqueueArgs<K>
  ): Promise<string> {
    return this.insert(tx, this.prepare(key, data, ...args));
  }

  /**
   * Several events of one subject key in one statement (a batch's events: one round trip instead of one per event),
   * each validated and built as {@link enqueue} builds it (ContractViolationError before anything is written), stored
   * and published in the given order; returns their ids in that order. Nothing is written for an empty list.
   */
  async enqueueMany<K extends SubjectKey>(tx: OutboxTransaction, key: K, items: readonly EnqueueManyItem<K>[]): Promise<string[]> {
    const events = items.map(({ data, ...options }) => this.prepare(key, data, ...([options] as unknown as EnqueueArgs<K>)));
    return this.insertMany(tx, events);
  }

  /** Inserts events built by {@link prepare} in one statement of the caller's transaction, in order; returns their ids. */
  async insertMany(tx: OutboxTransaction, events: readonly PreparedOutboxEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    await tx.$executeRawUnsafe(
      this.sql.insertMany(),
      events.map((e) => e.id),
      events.map((e) => e.subject),
      events.map((e) => e.payload),
      events.map((e) => e.headers),
      this.options.channel,
    );
    return events.map((e) => e.id);
  }

  /** Inserts an event built by {@link prepare} in the caller's transaction; returns its id. */
  async insert(tx: OutboxTransaction, event: PreparedOutboxEvent): Promise<string> {
    await tx.$executeRawUnsafe(this.sql.insert(), event.id, event.subject, event.payload, event.headers, this.options.channel);
    return event.id;
  }

  /**
   * Builds the event's row without writing it: the subject, the envelope (its data parsed against the contract unless
   * `validated`) serialised once, and the headers (with the current correlation id and, tracing on, trace context).
   */
  prepare<K extends SubjectKey>(key: K, data: PayloadOf<K>, ...[options]: EnqueueArgs<K>): PreparedOutboxEvent {
    const opts: EnqueueCommonOptions & { tokens?: unknown } = options ?? {};
    const subject = subjectFor(key, ...([opts.tokens] as TokenArgs<K>));
    const envelope = opts.validated
      ? validatedEnvelope(key, data, opts.id, opts.time)
      : envelopeFor(key, data, { id: opts.id, time: opts.time });
    const headers: Record<string, string> = {};
    const correlationId = getCorrelationId();
    if (correlationId) headers[CORRELATION_ID_HEADER] = correlationId;
    Object.assign(headers, opts.headers);
    // With tracing on, the active trace context (the request's span) is stored with the event: the relay's publish
    // continues that trace, whenever and by whichever replica it is published.
    injectTraceContext(headers);
    const payload = JSON.stringify(envelope);
    return {
      id: envelope.id,
      subject,
      payload,
      publishedBytes: Buffer.byteLength(payload),
      headers: JSON.stringify(headers),
      headerValues: headers,
    };
  }

  /**
   * The outbox insert as two parts of a caller's single statement (data-modifying CTEs): `insert` writes the event
   * once per row of the CTE named `gate` (none when the gate returned no row), `notify` wakes the relay once per row
   * of the CTE named `inserted` (the name the caller gives `insert`). Parameters start at `firstParam`.
   */
  statementPart(gate: string, inserted: string, firstParam: number): OutboxStatementPart {
    const p = (i: number): string => `$${firstParam + i}`;
    return {
      insert: this.sql.insertFrom(gate, [p(0), p(1), p(2), p(3)]),
      notify: `SELECT pg_notify(${p(4)}, id::text) FROM ${inserted}`,
      values: (event) => [event.id, event.subject, event.payload, event.headers, this.options.channel],
    };
  }
}

/** Subjects whose constant envelope attributes (type, source, dataschema) were checked once. */
const checkedAttributes = new Set<SubjectKey>();
const idSchema = envelopeAttributesSchema.shape.id;
const timeSchema = envelopeAttributesSchema.shape.time;

/**
 * The envelope of data the caller validated, as makeEnvelope builds it (same attributes, same order): the subject's
 * constant attributes are checked the first time (by makeEnvelope), the id and time every time, by the envelope
 * schema's own field schemas (a full parse of the envelope per event was a visible cost).
 */
function validatedEnvelope<T>(key: SubjectKey, data: T, id?: string, time?: Date | string): Envelope<T> {
  const { type, source, dataschema } = subjectDefinition(key);
  if (!checkedAttributes.has(key)) {
    makeEnvelope({ type, source, dataschema, data: null });
    checkedAttributes.add(key);
  }
  const envelope: Envelope<T> = {
    id: id ?? randomUUID(),
    type,
    source,
    time: time instanceof Date ? time.toISOString() : (time ?? new Date().toISOString()),
    dataschema,
    datacontenttype: DATA_CONTENT_TYPE,
    data,
  };
  const idCheck = idSchema.safeParse(envelope.id);
  const timeCheck = timeSchema.safeParse(envelope.time);
  if (!idCheck.success || !timeCheck.success) {
    const issues = [
      ...(idCheck.error?.issues.map((issue) => ({ ...issue, path: ['id', ...issue.path] })) ?? []),
      ...(timeCheck.error?.issues.map((issue) => ({ ...issue, path: ['time', ...issue.path] })) ?? []),
    ];
    throw new ContractViolationError(type, issues, 'envelope');
  }
  return envelope;
}
