/**
 * The SQL of the intake's document path (tables of prisma/schema.prisma: document, document_version, known_unit,
 * outbox_event), on a plain `pg` connection: see PgPool for why not Prisma here. Statements are named (prepared once
 * per connection) and rows are checked with zod before use.
 */
import type { OutboxTransaction, OutboxWriter, PgTx } from '@podium/platform';
import type { Pool } from 'pg';
import { z } from 'zod';

import type { ScheduleMatch } from './intake.logic';

/** An outbox event serialised once by the OutboxWriter, and the writer's part of a single statement. */
export type PreparedOutboxEvent = ReturnType<OutboxWriter['prepare']>;
type OutboxStatementPart = ReturnType<OutboxWriter['statementPart']>;

/** BIGINT columns arrive as strings from pg. */
const bigintColumn = z.union([z.string(), z.number()]).transform(Number);

const documentStateSchema = z.object({
  key: z.string(),
  /** The Source the document is bound to (of its first accepted version; never changes). */
  source: z.string(),
  version: bigintColumn,
  resultStatus: z.string().nullable(),
  withdrawn: z.boolean(),
  fingerprint: z.string().nullable(),
  officialVersion: bigintColumn.nullable(),
  notes: z.array(z.string()).nullable().transform((notes) => notes ?? []),
  quarantined: z.boolean(),
  eventId: z.string().nullable(),
  /** The last publication's outbox row is published, or gone (pruned after publication). */
  eventPublished: z.boolean(),
  eventSeq: bigintColumn.nullable(),
});

/** A document row as the version rules need it, with where its last publication stands. */
export type DocumentState = z.infer<typeof documentStateSchema>;

const baseDocumentSchema = documentStateSchema.extend({ header: z.unknown(), competition: z.unknown() });

/** A base document (DT_SCHEDULE, DT_PARTIC) with its content, for merging an _UPDATE into it. */
export type BaseDocument = z.infer<typeof baseDocumentSchema>;

const DOCUMENT_COLUMNS =
  'd.key, d.source, d.version::text AS version, d.result_status AS "resultStatus", d.withdrawn, d.fingerprint, ' +
  'd.official_version::text AS "officialVersion", d.notes, d.quarantined, d.event_id::text AS "eventId", ' +
  '(o.id IS NULL OR o.published_at IS NOT NULL) AS "eventPublished", o.stream_seq::text AS "eventSeq"';

const KNOWN_UNIT_SQL: Record<ScheduleMatch['column'], string> = {
  rsc: 'SELECT EXISTS (SELECT 1 FROM known_unit WHERE rsc = $1) AS known',
  phase_rsc: 'SELECT EXISTS (SELECT 1 FROM known_unit WHERE phase_rsc = $1) AS known',
  event_rsc: 'SELECT EXISTS (SELECT 1 FROM known_unit WHERE event_rsc = $1) AS known',
  discipline: 'SELECT EXISTS (SELECT 1 FROM known_unit WHERE discipline = $1) AS known',
};

const knownRowsSchema = z.array(z.object({ known: z.boolean() })).length(1);

/** What document_version records of a message. */
export interface VersionRecord {
  documentKey: string;
  version: number;
  disposition: string;
  resultStatus: string | null;
  source: string;
  correction: boolean;
  quarantined: boolean;
  format: string;
  raw: string;
  header: unknown;
  eventId: string | null;
  receivedAt: Date;
}

/**
 * The document row written for an accepted version (identity columns and `source` are used only when the row is
 * created: a document stays bound to the Source of its first accepted version).
 */
export interface DocumentWrite {
  key: string;
  source: string;
  competitionCode: string;
  documentCode: string;
  documentSubcode: string | null;
  documentType: string;
  documentSubtype: string | null;
  language: string | null;
  feedFlag: string;
  discipline: string | null;
  version: number;
  resultStatus: string | null;
  withdrawn: boolean;
  fingerprint: string;
  officialVersion: number | null;
  notes: readonly string[];
  quarantined: boolean;
  header: unknown;
  competition: unknown;
  eventId: string | null;
  receivedAt: Date;
}

/** What the single-statement write of an accepted version assumed: the stored state its decision was made against. */
export interface WriteAssumptions {
  /** The document row as read (null: no row yet, so a row that appeared meanwhile fails the write). */
  readonly stored: DocumentState | null;
  /** Where the schedule must know the RSC (null: not checked), and whether it was believed known. */
  readonly match: ScheduleMatch | null;
  readonly known: boolean;
}

/** What the single-statement write did: `written`, or why not (the stored row or the schedule differed). */
export interface WriteOutcome {
  readonly written: boolean;
  /** The outbox row written (when written), for OutboxRelay.handOver. */
  readonly outboxId: string | null;
  /** Whether the schedule knows the RSC, as the statement saw it. */
  readonly known: boolean;
}

const writeRowsSchema = z
  .array(z.object({ written: z.boolean(), known: z.boolean(), outbox_id: z.string().nullable() }))
  .length(1);

const DOCUMENT_INSERT_COLUMNS =
  'source, key, competition_code, document_code, document_subcode, document_type, document_subtype, language, feed_flag, ' +
  'discipline, version, result_status, withdrawn, fingerprint, official_version, notes, quarantined, header, ' +
  'competition, event_id, received_at, updated_at';

/**
 * One statement (autocommit) for an accepted version of a document, whose decision was made in TypeScript against a
 * possibly cached state. Under the document's advisory lock (the one the transactional path takes, so the two never
 * interleave), it upserts the document row only if the row still holds exactly the state the decision assumed (a new
 * document: only if no row exists) and the schedule still knows the RSC as assumed; only then does it record the
 * version and write the outbox event (with its NOTIFY). Otherwise nothing is written and the caller reads again.
 * A new row is bound to the message's Source ($30); an existing row is updated only if it is bound to that Source (its
 * `source` never changes), so a message of another Source never writes, whatever the caller assumed.
 *
 * Parameters: $1-$20 the document row, $21-$28 the assumed state, $29-$33 the version record, $34 the assumed
 * knowledge, $35-$39 the outbox event, $40 the schedule match value (only when there is a match).
 */
function writeAcceptedSql(column: ScheduleMatch['column'] | null, outbox: OutboxStatementPart): string {
  const known =
    column === null
      ? 'SELECT true AS known'
      : `SELECT EXISTS (SELECT 1 FROM known_unit WHERE ${column} = $40::text) AS known`;
  return (
    'WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))), ' +
    `known AS (${known}), ` +
    `doc AS (INSERT INTO document (${DOCUMENT_INSERT_COLUMNS}) ` +
    'SELECT $30::text, $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::bigint, ' +
    '$11::text, $12::boolean, $13::text, $14::bigint, $15::text[], $16::boolean, $17::jsonb, $18::jsonb, $19::uuid, ' +
    '$20::timestamptz, now() FROM locked, known WHERE known.known = $34::boolean ' +
    'ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, result_status = EXCLUDED.result_status, ' +
    'withdrawn = EXCLUDED.withdrawn, fingerprint = EXCLUDED.fingerprint, official_version = EXCLUDED.official_version, ' +
    'notes = EXCLUDED.notes, quarantined = EXCLUDED.quarantined, header = EXCLUDED.header, ' +
    'competition = EXCLUDED.competition, event_id = EXCLUDED.event_id, received_at = EXCLUDED.received_at, ' +
    'updated_at = now() ' +
    'WHERE $21::boolean AND document.source = $30::text AND document.version = $22::bigint AND document.event_id IS NOT DISTINCT FROM $23::uuid ' +
    'AND document.fingerprint IS NOT DISTINCT FROM $24::text AND document.result_status IS NOT DISTINCT FROM $25::text ' +
    'AND document.withdrawn = $26::boolean AND document.official_version IS NOT DISTINCT FROM $27::bigint ' +
    "AND COALESCE(document.notes, '{}') = $28::text[] " +
    'RETURNING key), ' +
    'recorded AS (INSERT INTO document_version (document_key, version, disposition, result_status, source, correction, ' +
    'quarantined, format, raw, header, event_id, received_at) ' +
    'SELECT $1::text, $10::bigint, $29::text, $11::text, $30::text, $31::boolean, $16::boolean, $32::text, $33::text, ' +
    '$17::jsonb, $19::uuid, $20::timestamptz FROM doc), ' +
    `inserted AS (${outbox.insert}) ` +
    // count(*), not EXISTS: EXISTS would drop the select list, and with it the NOTIFY.
    `SELECT (SELECT count(*) FROM (${outbox.notify}) notified) > 0 AS written, (SELECT known FROM known) AS known, ` +
    '(SELECT id::text FROM inserted) AS outbox_id'
  );
}

/** The statement's text per outbox part and schedule column, built once. */
const writeSqlCache = new WeakMap<OutboxStatementPart, Map<string, string>>();

function cachedWriteSql(column: ScheduleMatch['column'] | null, outbox: OutboxStatementPart): string {
  let byColumn = writeSqlCache.get(outbox);
  if (byColumn === undefined) writeSqlCache.set(outbox, (byColumn = new Map()));
  const key = column ?? 'none';
  let sql = byColumn.get(key);
  if (sql === undefined) byColumn.set(key, (sql = writeAcceptedSql(column, outbox)));
  return sql;
}

export const intakeStore = {
  /**
   * Writes an accepted version in one round trip (see writeAcceptedSql): document row, document_version and outbox
   * event, or nothing when the assumptions no longer hold. `outbox` is the OutboxWriter's statement part for
   * parameters from $35 (gate `doc`, inserted `inserted`).
   */
  async writeAccepted(
    pool: Pick<Pool, 'query'>,
    d: DocumentWrite,
    v: Pick<VersionRecord, 'disposition' | 'source' | 'correction' | 'format' | 'raw'>,
    assumed: WriteAssumptions,
    outbox: OutboxStatementPart,
    event: PreparedOutboxEvent,
  ): Promise<WriteOutcome> {
    const column = assumed.match?.column ?? null;
    const s = assumed.stored;
    const values: unknown[] = [
      ...documentValues(d),
      s !== null,
      s?.version ?? 0,
      s?.eventId ?? null,
      s?.fingerprint ?? null,
      s?.resultStatus ?? null,
      s?.withdrawn ?? false,
      s?.officialVersion ?? null,
      s?.notes ?? [],
      v.disposition,
      v.source,
      v.correction,
      v.format,
      v.raw,
      assumed.known,
      ...outbox.values(event),
      ...(assumed.match === null ? [] : [assumed.match.value]),
    ];
    const { rows } = await pool.query({ name: `intake-write-${column ?? 'none'}`, text: cachedWriteSql(column, outbox), values });
    const [row] = writeRowsSchema.parse(rows);
    return row ? { written: row.written, known: row.known, outboxId: row.outbox_id } : { written: false, known: assumed.known, outboxId: null };
  },


  /** True when the schedule knows the RSC at the match's level (null match: nothing to check). */
  async isKnown(pool: Pool, match: ScheduleMatch | null): Promise<boolean> {
    if (match === null) return true;
    const { rows } = await pool.query({ name: `intake-known-${match.column}`, text: KNOWN_UNIT_SQL[match.column], values: [match.value] });
    return knownRowsSchema.parse(rows)[0]?.known ?? false;
  },

  /** Serializes the transactions on one document key (released at commit or rollback). */
  async lock(tx: PgTx, key: string): Promise<void> {
    await tx.query({ name: 'intake-lock', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [key] });
  },

  /** The document's state (read after taking its lock), or null when it does not exist yet. */
  async document(tx: PgTx, key: string): Promise<DocumentState | null> {
    const { rows } = await tx.query({
      name: 'intake-document',
      text: `SELECT ${DOCUMENT_COLUMNS} FROM document d LEFT JOIN outbox_event o ON o.event_id = d.event_id WHERE d.key = $1`,
      values: [key],
    });
    return rows.length === 0 ? null : documentStateSchema.parse(rows[0]);
  },

  /** A base document with its header and content (read after taking its lock), or null. */
  async baseDocument(tx: PgTx, key: string): Promise<BaseDocument | null> {
    const { rows } = await tx.query({
      name: 'intake-base-document',
      text:
        `SELECT ${DOCUMENT_COLUMNS}, d.header, d.competition ` +
        'FROM document d LEFT JOIN outbox_event o ON o.event_id = d.event_id WHERE d.key = $1',
      values: [key],
    });
    return rows.length === 0 ? null : baseDocumentSchema.parse(rows[0]);
  },

  async insertVersion(tx: PgTx, v: VersionRecord): Promise<void> {
    await tx.query({
      name: 'intake-insert-version',
      text:
        'INSERT INTO document_version (document_key, version, disposition, result_status, source, correction, ' +
        'quarantined, format, raw, header, event_id, received_at) ' +
        'VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::uuid, $12)',
      values: [
        v.documentKey,
        v.version,
        v.disposition,
        v.resultStatus,
        v.source,
        v.correction,
        v.quarantined,
        v.format,
        v.raw,
        JSON.stringify(v.header),
        v.eventId,
        v.receivedAt,
      ],
    });
  },

  async upsertDocument(tx: PgTx, d: DocumentWrite): Promise<void> {
    await tx.query({
      name: 'intake-upsert-document',
      text:
        'INSERT INTO document (key, competition_code, document_code, document_subcode, document_type, ' +
        'document_subtype, language, feed_flag, discipline, version, result_status, withdrawn, fingerprint, ' +
        'official_version, notes, quarantined, header, competition, event_id, received_at, source, updated_at) ' +
        'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint, $11, $12, $13, $14::bigint, $15::text[], $16, ' +
        '$17::jsonb, $18::jsonb, $19::uuid, $20, $21, now()) ' +
        'ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, result_status = EXCLUDED.result_status, ' +
        'withdrawn = EXCLUDED.withdrawn, fingerprint = EXCLUDED.fingerprint, ' +
        'official_version = EXCLUDED.official_version, notes = EXCLUDED.notes, quarantined = EXCLUDED.quarantined, ' +
        'header = EXCLUDED.header, competition = EXCLUDED.competition, event_id = EXCLUDED.event_id, ' +
        'received_at = EXCLUDED.received_at, updated_at = now()',
      values: [...documentValues(d), d.source],
    });
  },

  /** The transaction as the platform's OutboxWriter writes to it. */
  outbox(tx: PgTx): OutboxTransaction {
    return { $executeRawUnsafe: async (sql, ...values) => (await tx.query(sql, values)).rowCount ?? 0 };
  },
};

/** $1-$20 of the document upserts. */
function documentValues(d: DocumentWrite): unknown[] {
  return [
    d.key,
    d.competitionCode,
    d.documentCode,
    d.documentSubcode,
    d.documentType,
    d.documentSubtype,
    d.language,
    d.feedFlag,
    d.discipline,
    d.version,
    d.resultStatus,
    d.withdrawn,
    d.fingerprint,
    d.officialVersion,
    [...d.notes],
    d.quarantined,
    JSON.stringify(d.header),
    d.competition === null ? null : JSON.stringify(d.competition),
    d.eventId,
    d.receivedAt,
  ];
}
