/**
 * Pure pieces of the intake: parsing a request into an ODF message (or a typed error), the published `data`, the
 * outcome answered to the venue, correction notes and which schedule level an RSC must be known at.
 */
import { type Rsc, rscLevel } from '@podium/odf';
import {
  baseKeyOf,
  type Decision,
  isUpdateType,
  type OdfMessage,
  type OdfParseError,
  parseOdfJson,
  parseOdfXml,
  RSC_DOCUMENT_TYPES,
  type StoredDocState,
  toOdfJson,
} from '@podium/odf-message';
import type { IngestOutcome, ResultsMessage } from '@podium/contracts';

/** Stable error kinds of the intake, mapped to HTTP problems and NATS reply errors. */
export type IngestErrorCode =
  | 'invalid-api-key'
  | 'source-not-allowed'
  | 'document-source-mismatch'
  | 'malformed-message'
  | 'invalid-odf-message'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'publish-pending';

const STATUS: Record<IngestErrorCode, number> = {
  'invalid-api-key': 401,
  'source-not-allowed': 403,
  'document-source-mismatch': 403,
  'malformed-message': 400,
  'invalid-odf-message': 422,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'publish-pending': 503,
};

/** An intake failure: `status` is the HTTP status; `errors` name the fields that are wrong. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  readonly status: number;
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly errors: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export type MessageFormat = 'xml' | 'json';

/** A parsed, valid message and what to keep of it for audit. */
export interface ParsedInput {
  readonly message: OdfMessage;
  readonly format: MessageFormat;
  /** As received (decompressed): the XML text, or the JSON text. */
  readonly raw: string;
}

function fieldErrors(errors: readonly OdfParseError[], prefix: string): { field: string; message: string }[] {
  return errors.map((e) => ({ field: `${prefix}${e.field}`, message: e.message }));
}

function summary(errors: readonly OdfParseError[]): string {
  const [first] = errors;
  if (!first) return 'The message is invalid.';
  const head = `${first.field}: ${first.message}`;
  return errors.length === 1 ? head : `${head} (and ${errors.length - 1} more)`;
}

/** Parses an XML message (bytes as received, or text). Syntax problems: malformed-message; ODF rules: invalid-odf-message. */
export function parseXmlInput(xml: Uint8Array | string, prefix = 'body.'): ParsedInput {
  const result = parseOdfXml(xml);
  if (!result.ok) {
    const syntax = result.errors.some((e) => e.field === 'xml');
    throw new IngestError(
      syntax ? 'malformed-message' : 'invalid-odf-message',
      syntax ? `Malformed XML: ${summary(result.errors)}` : `Invalid ODF message: ${summary(result.errors)}`,
      fieldErrors(result.errors, prefix),
    );
  }
  const raw = typeof xml === 'string' ? xml : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString('utf8');
  return { message: result.message, format: 'xml', raw };
}

/** Parses a message in its JSON form (already JSON-parsed). A non-object is malformed; ODF rule violations are invalid. */
export function parseJsonInput(value: unknown, raw: string, prefix = 'body.'): ParsedInput {
  const result = parseOdfJson(value);
  if (!result.ok) {
    const malformed = result.errors.some((e) => e.field === '(root)');
    throw new IngestError(
      malformed ? 'malformed-message' : 'invalid-odf-message',
      malformed ? `Malformed JSON message: ${summary(result.errors)}` : `Invalid ODF message: ${summary(result.errors)}`,
      fieldErrors(result.errors, prefix),
    );
  }
  return { message: result.message, format: 'json', raw };
}

/** Parses JSON text (the NATS intake and tests); a syntax error is a malformed-message naming the position. */
export function parseJsonText(text: string, prefix = 'body.'): ParsedInput {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new IngestError('malformed-message', `Malformed JSON: ${error instanceof Error ? error.message : 'syntax error'}`, [
      { field: prefix === '' ? '(root)' : prefix.slice(0, -1), message: 'is not valid JSON' },
    ]);
  }
  return parseJsonInput(value, text, prefix);
}

/** Where the schedule must know a document's RSC: a unit, a phase, an event or a discipline. */
export interface ScheduleMatch {
  readonly column: 'rsc' | 'phase_rsc' | 'event_rsc' | 'discipline';
  readonly value: string;
}

/** Result documents (DT_RESULT, DT_CURRENT, DT_PHASE_RESULT...) must name an RSC the schedule knows; others are not checked. */
export function scheduleMatchOf(message: Pick<OdfMessage, 'rsc' | 'header'>): ScheduleMatch | null {
  if (!RSC_DOCUMENT_TYPES.has(message.header.documentType) || message.rsc === null) return null;
  return matchForRsc(message.rsc);
}

export function matchForRsc(rsc: Rsc): ScheduleMatch {
  switch (rscLevel(rsc)) {
    case 'unit':
      return { column: 'rsc', value: rsc.code };
    case 'phase':
      return { column: 'phase_rsc', value: rsc.code };
    case 'event':
      return { column: 'event_rsc', value: rsc.code };
    default:
      return { column: 'discipline', value: rsc.discipline };
  }
}

/** The outcome answered to the venue system. */
export function outcomeOf(decision: Pick<Decision, 'kind'>, quarantined: boolean): IngestOutcome {
  switch (decision.kind) {
    case 'duplicate':
    case 'conflict-duplicate':
      return 'duplicate';
    case 'stale':
      return 'stale';
    case 'withdraw':
      return 'withdrawn';
    default:
      return quarantined ? 'quarantined' : 'applied';
  }
}

/** The `document_version.disposition` recorded for a decision. */
export function dispositionOf(decision: Pick<Decision, 'kind'>): string {
  switch (decision.kind) {
    case 'apply':
      return 'applied';
    case 'merge':
      return 'merged';
    case 'withdraw':
      return 'withdrawn';
    case 'conflict-duplicate':
      return 'conflict';
    default:
      return decision.kind;
  }
}

/** The note a correction after OFFICIAL adds to the document's accumulated notes. */
export function correctionNote(message: OdfMessage, decision: Pick<Decision, 'correction'>, officialVersion: number | null, at: Date): string | null {
  if (!decision.correction || officialVersion === null) return null;
  const what = message.withdrawal ? 'withdraws' : `corrects (ResultStatus ${message.header.resultStatus ?? 'none'})`;
  return `${at.toISOString()}: Version ${message.header.version} ${what} OFFICIAL Version ${officialVersion}`;
}

/**
 * A document is bound to the Source of its first accepted version: a message for it from another Source is refused
 * (403, nothing stored), whatever its Version, so a key of one venue cannot overwrite, or block with a huge Version,
 * another venue's documents. The answer does not name the Source the document is bound to.
 */
export function assertSameSource(stored: { readonly source: string } | null, message: Pick<OdfMessage, 'key' | 'header'>): void {
  if (stored === null || stored.source === message.header.source) return;
  throw new IngestError(
    'document-source-mismatch',
    `Document ${message.key} is bound to the Source of its first accepted version, not ${message.header.source}: ` +
      'only that Source may send versions of it.',
    [{ field: 'body.Source', message: 'is not the Source the document is bound to' }],
  );
}

/** The row state the version rules need. */
export interface DocumentRowLike {
  readonly key: string;
  readonly version: bigint | number;
  readonly resultStatus: string | null;
  readonly withdrawn: boolean;
  readonly fingerprint: string | null;
  readonly officialVersion: bigint | number | null;
}

export function storedStateOf(row: DocumentRowLike): StoredDocState {
  return {
    key: row.key,
    version: Number(row.version),
    resultStatus: row.resultStatus as StoredDocState['resultStatus'],
    withdrawn: row.withdrawn,
    fingerprint: row.fingerprint,
    officialVersion: row.officialVersion === null ? null : Number(row.officialVersion),
  };
}

export interface ResultsDataExtras {
  readonly correction: boolean;
  readonly officialVersion: number | null;
  readonly notes: readonly string[];
  readonly previousVersion: number | null;
  readonly quarantined: boolean;
  readonly resent: boolean;
  readonly receivedAt: Date;
}

/** The `data` published for a message: its ODF JSON form plus what results-ingest adds (see @podium/contracts results). */
export function resultsDataOf(message: OdfMessage, extras: ResultsDataExtras): ResultsMessage {
  return {
    ...toOdfJson(message),
    discipline: message.discipline,
    documentKey: message.key,
    withdrawn: message.withdrawal,
    correction: extras.correction,
    officialVersion: extras.officialVersion,
    ...(extras.notes.length > 0 ? { notes: [...extras.notes] } : {}),
    previousVersion: extras.previousVersion,
    quarantined: extras.quarantined,
    baseDocumentKey: isUpdateType(message.header.documentType) ? baseKeyOf(message) : null,
    resent: extras.resent,
    receivedAt: extras.receivedAt.toISOString(),
  } as ResultsMessage;
}

/** Content kept on the document row: merge bases (DT_SCHEDULE, DT_PARTIC) and DT_CURRENT (which has no history). */
export const CONTENT_KEPT_TYPES: ReadonlySet<string> = new Set(['DT_SCHEDULE', 'DT_PARTIC', 'DT_CURRENT']);

/** The lock key serializing a message's document: the base document's key for _UPDATE types (they change it too). */
export function lockKeyOf(message: OdfMessage): string {
  return isUpdateType(message.header.documentType) ? baseKeyOf(message) : message.key;
}
