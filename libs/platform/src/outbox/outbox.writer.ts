import { Inject, Injectable } from '@nestjs/common';
import {
  envelopeFor,
  type PayloadOf,
  subjectFor,
  type SubjectKey,
  type TokenArgs,
  type TokenNames,
  type TokensOf,
} from '@podium/contracts';
import { getCorrelationId } from '../logging';
import { CORRELATION_ID_HEADER } from '../nats/nats.constants';
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
}

/** `tokens` is required exactly when the subject template has tokens. */
export type EnqueueOptions<K extends SubjectKey> = EnqueueCommonOptions &
  ([TokenNames<K>] extends [never] ? { tokens?: Record<string, never> } : { tokens: TokensOf<K> });

export type EnqueueArgs<K extends SubjectKey> = [TokenNames<K>] extends [never]
  ? [options?: EnqueueOptions<K>]
  : [options: EnqueueOptions<K>];

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
    ...[options]: EnqueueArgs<K>
  ): Promise<string> {
    const opts: EnqueueCommonOptions & { tokens?: unknown } = options ?? {};
    const subject = subjectFor(key, ...([opts.tokens] as TokenArgs<K>));
    const envelope = envelopeFor(key, data, { id: opts.id, time: opts.time });
    const headers: Record<string, string> = {};
    const correlationId = getCorrelationId();
    if (correlationId) headers[CORRELATION_ID_HEADER] = correlationId;
    Object.assign(headers, opts.headers);
    await tx.$executeRawUnsafe(
      this.sql.insert(),
      envelope.id,
      subject,
      JSON.stringify(envelope),
      JSON.stringify(headers),
      this.options.channel,
    );
    return envelope.id;
  }
}
