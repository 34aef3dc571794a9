/**
 * The ODF message header (the attributes of `<OdfBody>`): zod schema, XML/JSON field names, document identity.
 */
import { DOCUMENT_TYPES, parseRsc, RESULT_STATUSES, rscLevel } from '@podium/odf';
import { z } from 'zod';

import { describeValue } from './element';

/** Header fields in ODF order: the XML attribute name and the JSON (camelCase) property name. */
export const HEADER_FIELDS = [
  { xml: 'CompetitionCode', json: 'competitionCode' },
  { xml: 'DocumentCode', json: 'documentCode' },
  { xml: 'DocumentSubcode', json: 'documentSubcode' },
  { xml: 'DocumentType', json: 'documentType' },
  { xml: 'DocumentSubtype', json: 'documentSubtype' },
  { xml: 'Version', json: 'version' },
  { xml: 'ResultStatus', json: 'resultStatus' },
  { xml: 'FeedFlag', json: 'feedFlag' },
  { xml: 'Date', json: 'date' },
  { xml: 'Time', json: 'time' },
  { xml: 'TimeStamp', json: 'timeStamp' },
  { xml: 'LogicalDate', json: 'logicalDate' },
  { xml: 'Source', json: 'source' },
  { xml: 'Language', json: 'language' },
] as const;

export type HeaderXmlName = (typeof HEADER_FIELDS)[number]['xml'];
export type HeaderJsonName = (typeof HEADER_FIELDS)[number]['json'];

export const XML_TO_JSON: ReadonlyMap<string, HeaderJsonName> = new Map(
  HEADER_FIELDS.map((f) => [f.xml, f.json]),
);
export const JSON_TO_XML: ReadonlyMap<string, HeaderXmlName> = new Map(
  HEADER_FIELDS.map((f) => [f.json, f.xml]),
);

/**
 * Document types whose DocumentCode must be a valid RSC (results at unit, phase or event level).
 * DT_SCHEDULE(_UPDATE), DT_PARTIC(_UPDATE), DT_MEDALS, DT_RECORD, DT_KA, DT_LOCAL_ON/OFF may carry a
 * discipline-level code (`OWS----…`, whose gender position is '-') or a bare discipline (`ARC`).
 */
export const RSC_DOCUMENT_TYPES: ReadonlySet<string> = new Set([
  'DT_RESULT',
  'DT_CURRENT',
  'DT_PHASE_RESULT',
  'DT_CUMULATIVE_RESULT',
  'DT_POOL_STANDING',
  'DT_BRACKETS',
  'DT_PLAY_BY_PLAY',
  'DT_MEDALLISTS',
]);

/**
 * The highest ODF `Version` accepted anywhere in the chain: 2^31-1. results-ingest refuses a message above it (422
 * invalid-odf-message, `body.Version`), and consumers validating the published messages against the contracts
 * (results-distribution) refuse it too: results-distribution stores `version` as a 32-bit integer
 * (document_state.version), so one Version above it would make every checkpoint fail. Real feeds stay far below it.
 */
export const MAX_ODF_VERSION = 2_147_483_647;

/** `FeedFlag`: P production, T test. */
export const FEED_FLAGS = ['P', 'T'] as const;
export type FeedFlag = (typeof FEED_FLAGS)[number];

/** 1-64 characters, none of them '|' (the key separator) or a control character. */
function isKeyPart(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x7c /* | */) return false;
  }
  return true;
}
const KEY_PART = { test: isKeyPart };
const KEY_PART_TEXT = '1-64 characters without | or control characters';

function message(expected: string): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) =>
      issue.input === undefined ? 'is required' : `must be ${expected}, got ${describeValue(issue.input)}`,
  };
}

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const TIME = /^([01]\d|2[0-3])[0-5]\d[0-5]\d\d{3}$/;
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const text = (expected: string) => z.string(message(expected));
/** A string matching `re`; the error says what was expected and what came. */
const matching = (re: { test(value: string): boolean }, expected: string) =>
  text(expected).refine((v) => re.test(v), {
    error: (issue) => `must be ${expected}, got ${describeValue(issue.input)}`,
  });
const dateField = text('a date YYYY-MM-DD').refine(isCalendarDate, {
  error: (issue) => `must be a date YYYY-MM-DD, got ${describeValue(issue.input)}`,
});

function makeHeaderSchema(documentTypes: ReadonlySet<string>) {
  const typeList = [...documentTypes].join(', ');
  return z
    .object({
      competitionCode: matching(
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
        '1-40 characters A-Z, a-z, 0-9, _ - . (e.g. OG2024)',
      ),
      documentCode: matching(
        /^[A-Z0-9-]{1,34}$/,
        'an RSC or another ODF code: 1-34 characters A-Z, 0-9 or -',
      ),
      documentSubcode: matching(KEY_PART, KEY_PART_TEXT).optional(),
      documentType: text('a string').refine((v) => documentTypes.has(v), {
        error: (issue) => `must be a known ODF DocumentType (${typeList}), got ${describeValue(issue.input)}`,
      }),
      documentSubtype: matching(KEY_PART, KEY_PART_TEXT).optional(),
      version: z
        .number(message('a positive integer'))
        .int('must be a positive integer')
        .min(1, 'must be a positive integer (1 or more)')
        .max(MAX_ODF_VERSION, `must be at most ${MAX_ODF_VERSION} (2^31-1)`),
      resultStatus: z.enum(RESULT_STATUSES, message(`one of ${RESULT_STATUSES.join(', ')}`)).optional(),
      feedFlag: z.enum(FEED_FLAGS, message('P (production) or T (test)')),
      date: dateField.optional(),
      time: matching(TIME, 'a time hhmmssfff (e.g. 175756695)').optional(),
      timeStamp: text('an ISO-8601 date-time with offset')
        .refine(
          (v) => {
            const m = TIMESTAMP.exec(v);
            return m !== null && isCalendarDate(m[1] ?? '');
          },
          {
            error: (issue) =>
              `must be an ISO-8601 date-time with offset (e.g. 2026-09-09T14:30:00.000+02:00), got ${describeValue(issue.input)}`,
          },
        )
        .optional(),
      logicalDate: dateField.optional(),
      source: matching(KEY_PART, KEY_PART_TEXT),
      language: matching(KEY_PART, KEY_PART_TEXT).optional(),
    })
    .superRefine((h, ctx) => {
      if (h.timeStamp === undefined) {
        if (h.date === undefined) {
          ctx.addIssue({ code: 'custom', path: ['date'], message: 'is required (or give TimeStamp)' });
        }
        if (h.time === undefined) {
          ctx.addIssue({ code: 'custom', path: ['time'], message: 'is required (or give TimeStamp)' });
        }
      }
      if (RSC_DOCUMENT_TYPES.has(h.documentType)) {
        const rsc = parseRsc(h.documentCode);
        if (!rsc.ok) {
          ctx.addIssue({
            code: 'custom',
            path: ['documentCode'],
            message: `must be a valid RSC for ${h.documentType}: ${rsc.error}`,
          });
        } else if (rscLevel(rsc.value) === 'discipline') {
          ctx.addIssue({
            code: 'custom',
            path: ['documentCode'],
            message: `must be an event, phase or unit RSC for ${h.documentType}, not a discipline-level code`,
          });
        }
      }
    });
}

/** The header of the default document types (@podium/odf DOCUMENT_TYPES). JSON form: `version` is a number. */
export const odfHeaderSchema = makeHeaderSchema(new Set(DOCUMENT_TYPES));

/**
 * A validated ODF header, camelCase. `documentType` is a string because parse options may admit document types
 * beyond DOCUMENT_TYPES (e.g. DT_STATS); by default it is always one of DOCUMENT_TYPES.
 */
export type OdfHeader = z.infer<typeof odfHeaderSchema>;

const schemas = new Map<string, typeof odfHeaderSchema>([['', odfHeaderSchema]]);

/** The header schema admitting DOCUMENT_TYPES plus `extra` (cached). */
export function headerSchemaFor(extra: readonly string[] = []): typeof odfHeaderSchema {
  const cacheKey = [...extra].sort().join(',');
  let schema = schemas.get(cacheKey);
  if (schema === undefined) {
    schema = makeHeaderSchema(new Set([...DOCUMENT_TYPES, ...extra]));
    schemas.set(cacheKey, schema);
  }
  return schema;
}

/** The parts of a document's identity, in key order. */
export interface DocumentIdentity {
  readonly competitionCode: string;
  readonly documentCode: string;
  readonly documentSubcode?: string | undefined;
  readonly documentType: string;
  readonly documentSubtype?: string | undefined;
  readonly language?: string | undefined;
  readonly feedFlag: FeedFlag;
}

/**
 * The document identity string: CompetitionCode|DocumentCode|DocumentSubcode|DocumentType|DocumentSubtype|Language|FeedFlag,
 * absent parts empty. Unambiguous because no part may contain '|'. The feed flag is part of the identity, so a
 * test-feed document (T) and a production document (P) with the same codes are different documents and never
 * overwrite each other.
 */
export function documentKey(h: DocumentIdentity): string {
  return [
    h.competitionCode,
    h.documentCode,
    h.documentSubcode ?? '',
    h.documentType,
    h.documentSubtype ?? '',
    h.language ?? '',
    h.feedFlag,
  ].join('|');
}

/** Splits a key made by {@link documentKey}; null when it is not one. */
export function parseDocumentKey(key: string): DocumentIdentity | null {
  const parts = key.split('|');
  if (parts.length !== 7) return null;
  const [competitionCode, documentCode, documentSubcode, documentType, documentSubtype, language, feedFlag] =
    parts as [string, string, string, string, string, string, string];
  if (feedFlag !== 'P' && feedFlag !== 'T') return null;
  if (competitionCode === '' || documentCode === '' || documentType === '') return null;
  return {
    competitionCode,
    documentCode,
    documentType,
    feedFlag,
    ...(documentSubcode === '' ? {} : { documentSubcode }),
    ...(documentSubtype === '' ? {} : { documentSubtype }),
    ...(language === '' ? {} : { language }),
  };
}
