/**
 * The SQL of the outbox, for the table the platform owns (outbox.prisma, model `OutboxEvent` mapped to `outbox_event`):
 * id BIGSERIAL, event_id UUID UNIQUE, subject, payload JSON (the envelope, kept as the writer's text), headers JSONB,
 * created_at, published_at NULL, stream_seq BIGINT NULL, attempts INT, last_error TEXT NULL.
 */

/**
 * What the relay reads of a pending row (`o` is the outbox table). The reads order by the numeric column (o.id), not
 * the text output column also named id ('10' < '2').
 */
const PENDING_COLUMNS =
  'SELECT o.id::text AS id, o.event_id::text AS event_id, o.subject, o.payload::text AS payload, o.headers';

/** `outbox_event` -> `"outbox_event"`, `app.outbox_event` -> `"app"."outbox_event"` (names are validated upstream). */
export function quoteTable(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

export class OutboxSql {
  private readonly t: string;

  constructor(table: string) {
    this.t = quoteTable(table);
  }

  /**
   * Inserts the event and notifies the relay with the row's id; NOTIFY is transactional, so the relay wakes only on
   * commit, and notifications arrive in commit order.
   * $1 event_id, $2 subject, $3 payload (JSON text), $4 headers (JSON text), $5 channel.
   */
  insert(): string {
    return (
      `WITH inserted AS (INSERT INTO ${this.t} (event_id, subject, payload, headers) ` +
      `VALUES ($1::uuid, $2, $3::json, $4::jsonb) RETURNING id) ` +
      `SELECT pg_notify($5, id::text) FROM inserted`
    );
  }

  /**
   * Several events in one statement, inserted (so given ids) in the arrays' order, each notified with its row's id in
   * that order, as {@link insert} notifies one.
   * $1 event_ids (uuid[]), $2 subjects (text[]), $3 payloads (JSON texts, text[]), $4 headers (JSON texts, text[]),
   * $5 channel.
   */
  insertMany(): string {
    return (
      `WITH inserted AS (INSERT INTO ${this.t} (event_id, subject, payload, headers) ` +
      'SELECT e.event_id, e.subject, e.payload::json, e.headers::jsonb ' +
      'FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(event_id, subject, payload, headers, n) ' +
      'ORDER BY e.n RETURNING id) ' +
      'SELECT pg_notify($5, id::text) FROM inserted ORDER BY id'
    );
  }

  /**
   * The same insert as part of a caller's statement: one row per row of the CTE `gate`. `params` name the event_id,
   * subject, payload and headers parameters (e.g. ['$21', '$22', '$23', '$24']).
   */
  insertFrom(gate: string, params: readonly [string, string, string, string]): string {
    const [eventId, subject, payload, headers] = params;
    return (
      `INSERT INTO ${this.t} (event_id, subject, payload, headers) ` +
      `SELECT ${eventId}::uuid, ${subject}::text, ${payload}::json, ${headers}::jsonb FROM ${gate} RETURNING id`
    );
  }

  /**
   * $1 batch size. The payload comes as the text the writer stored (a json column keeps it byte for byte): published
   * as is, never parsed here (the relay checks the envelope id against event_id on that text).
   */
  selectPending(): string {
    return `${PENDING_COLUMNS} FROM ${this.t} o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1`;
  }

  /**
   * The marking of published rows folded into the next read, one round trip: marks $2 ids (bigint[]) with their $3
   * stream sequences (bigint[], same order) as {@link markPublished} does, and reads pending rows as
   * {@link selectPending} does ($1 batch size). The read sees the table as before the marking (one snapshot), so the
   * rows just marked are left out by id.
   */
  markPublishedAndSelectPending(): string {
    return (
      `WITH marked AS (${this.markPublishedOf('$2', '$3')}) ` +
      `${PENDING_COLUMNS} FROM ${this.t} o WHERE o.published_at IS NULL AND o.id <> ALL($2::bigint[]) ` +
      'ORDER BY o.id LIMIT $1'
    );
  }

  /** Marks several rows at once: $1 ids (bigint[]), $2 their stream sequences (bigint[], same order). */
  markPublished(): string {
    return this.markPublishedOf('$1', '$2');
  }

  private markPublishedOf(ids: string, seqs: string): string {
    return (
      `UPDATE ${this.t} AS o SET published_at = now(), stream_seq = p.seq, last_error = NULL ` +
      `FROM unnest(${ids}::bigint[], ${seqs}::bigint[]) AS p(id, seq) WHERE o.id = p.id AND o.published_at IS NULL`
    );
  }

  /** $1 id, $2 error. */
  markFailed(): string {
    return `UPDATE ${this.t} SET attempts = attempts + 1, last_error = $2 WHERE id = $1`;
  }

  countPending(): string {
    return `SELECT count(*)::int AS pending FROM ${this.t} WHERE published_at IS NULL`;
  }

  /**
   * The pending rows' count and the age of the oldest in seconds (0 when none), by the database's clock: both read from
   * the (published_at, id) index's pending part, which the relay keeps small.
   */
  pendingSummary(): string {
    return (
      'SELECT count(*)::int AS pending, ' +
      'COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest_age_seconds ' +
      `FROM ${this.t} WHERE published_at IS NULL`
    );
  }

  /**
   * The stream sequence of the last published event = max(stream_seq) of published rows, since rows are published in id
   * order (reads the primary key backwards instead of scanning every row). 0 when nothing was published. After a
   * publish refused mid-window (see OutboxRelay.relayBatch), and while the last publications are not yet marked (the
   * relay marks them with its next read, within milliseconds), it can be below the true maximum: a reader resuming
   * from it then sees an event again, it never misses one.
   */
  lastPublishedSeq(): string {
    return (
      `SELECT COALESCE((SELECT stream_seq FROM ${this.t} WHERE published_at IS NOT NULL ` +
      `ORDER BY id DESC LIMIT 1), 0)::text AS seq`
    );
  }

  /** Deletes rows published more than $1 milliseconds ago, keeping the last published row (for lastPublishedSeq). */
  prunePublished(): string {
    return (
      `DELETE FROM ${this.t} WHERE published_at < now() - ($1::bigint * interval '1 millisecond') ` +
      `AND id < (SELECT max(id) FROM ${this.t} WHERE published_at IS NOT NULL)`
    );
  }

  /** Session-level lock that makes one relay active across replicas; $1 lock name. */
  static tryLock(): string {
    return 'SELECT pg_try_advisory_lock(hashtext($1)) AS locked';
  }

  static unlock(): string {
    return 'SELECT pg_advisory_unlock(hashtext($1)) AS unlocked';
  }

  static listen(channel: string): string {
    return `LISTEN "${channel.replace(/"/g, '""')}"`;
  }
}
