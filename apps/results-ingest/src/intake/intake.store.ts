/**
 * The SQL of the intake's document path (tables of prisma/schema.prisma: document, document_version, known_unit,
 * outbox_event), on a plain `pg` connection: see PgPool for why not Prisma here. Statements are named (prepared once
 * per connection) and rows are checked with zod before use.
 */
import type { OutboxTransaction, PgTx } from '@podium/platform';
import type { Pool } from 'pg';
import { z } from 'zod';

import type { ScheduleMatch } from './intake.logic';

/** BIGINT columns arrive as strings from pg. */
const bigintColumn = z.union([z.string(), z.number()]).transform(Number);

const documentStateSchema = z.object({
  key: z.string(),
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
  'd.key, d.version::text AS version, d.result_status AS "resultStatus", d.withdrawn, d.fingerprint, ' +
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

/** The document row written for an accepted version (identity columns are used only when the row is created). */
export interface DocumentWrite {
  key: string;
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

export const intakeStore = {
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
        'official_version, notes, quarantined, header, competition, event_id, received_at, updated_at) ' +
        'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint, $11, $12, $13, $14::bigint, $15::text[], $16, ' +
        '$17::jsonb, $18::jsonb, $19::uuid, $20, now()) ' +
        'ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, result_status = EXCLUDED.result_status, ' +
        'withdrawn = EXCLUDED.withdrawn, fingerprint = EXCLUDED.fingerprint, ' +
        'official_version = EXCLUDED.official_version, notes = EXCLUDED.notes, quarantined = EXCLUDED.quarantined, ' +
        'header = EXCLUDED.header, competition = EXCLUDED.competition, event_id = EXCLUDED.event_id, ' +
        'received_at = EXCLUDED.received_at, updated_at = now()',
      values: [
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
      ],
    });
  },

  /** The transaction as the platform's OutboxWriter writes to it. */
  outbox(tx: PgTx): OutboxTransaction {
    return { $executeRawUnsafe: async (sql, ...values) => (await tx.query(sql, values)).rowCount ?? 0 };
  },
};
