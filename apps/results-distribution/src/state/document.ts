import type { ResultsMessage } from '@podium/contracts';
import { buildMessage, type OdfHeader, type OdfMessage } from '@podium/odf-message';
import { parseRsc } from '@podium/odf';

/** The stream a document state came from: RESULTS (every type but DT_CURRENT) or the DT_CURRENT fast path. */
export type SourceStream = 'RESULTS' | 'RESULTS_CURRENT';

/**
 * The latest state of one ODF document as this service holds and serves it: the message published by
 * results-ingest (`data`: header fields camelCase, what ingest adds, `competition`), where it came from in the
 * stream, and its JSON as sent to clients (computed once, shared by REST, CIS, SSE and the feed).
 * Immutable: a new message makes a new entry.
 */
export interface DocumentEntry {
  readonly key: string;
  readonly stream: SourceStream;
  /** Sequence in `stream`. */
  readonly seq: number;
  /** Logical subject it was published on. */
  readonly subject: string;
  readonly data: ResultsMessage;
  /** Unit, phase and event codes when DocumentCode is an RSC (for rsc filters and the schedule). */
  readonly codes: readonly string[];
  /** `{"stream":…,"seq":…,<data fields>}`: the representation served everywhere. */
  readonly json: string;
  readonly bytes: number;
}

/** Builds an entry; `json` puts stream and seq first, then the message fields in their published order. */
export function makeEntry(data: ResultsMessage, stream: SourceStream, seq: number, subject: string, keyOverride?: string): DocumentEntry {
  const body = JSON.stringify(data);
  const json = `{"stream":"${stream}","seq":${seq},${body.slice(1)}`;
  return {
    key: keyOverride ?? data.documentKey,
    stream,
    seq,
    subject,
    data,
    codes: codesOf(data.documentCode),
    json,
    bytes: Buffer.byteLength(json),
  };
}

/** The RSC codes a document belongs to: itself, its phase and its event (deduplicated); [code] when not an RSC. */
export function codesOf(documentCode: string): string[] {
  const rsc = parseRsc(documentCode);
  if (!rsc.ok) return [documentCode];
  return [...new Set([rsc.value.code, rsc.value.phaseCode, rsc.value.eventCode])];
}

/** The ODF message of an entry (header + competition), for the @podium/odf-message helpers. */
export function messageOf(data: ResultsMessage): OdfMessage {
  const header: OdfHeader = {
    competitionCode: data.competitionCode,
    documentCode: data.documentCode,
    documentType: data.documentType,
    version: data.version,
    feedFlag: data.feedFlag,
    source: data.source,
    ...optional('documentSubcode', data.documentSubcode),
    ...optional('documentSubtype', data.documentSubtype),
    ...optional('resultStatus', data.resultStatus),
    ...optional('date', data.date),
    ...optional('time', data.time),
    ...optional('timeStamp', data.timeStamp),
    ...optional('logicalDate', data.logicalDate),
    ...optional('language', data.language),
  };
  return buildMessage(header, data.competition);
}

function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** OFFICIAL results must reach every client: they are never conflated away. */
export function isConflatable(data: ResultsMessage): boolean {
  return data.resultStatus !== 'OFFICIAL';
}
