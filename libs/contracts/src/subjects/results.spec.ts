import { makeCurrentMessage, makeResultMessage, parseOdfXml, toOdfJson } from '@podium/odf-message';

import { ContractViolationError } from '../errors';
import { envelopeFor, parsePayload, subjectFor } from '../subject-map';
import {
  ingestAckSchema,
  ingestRequestSchema,
  NO_DISCIPLINE_TOKEN,
  resultsCurrentPublished,
  resultsCurrentSchema,
  resultsCurrentStream,
  resultsDocumentPublished,
  resultsDocumentSchema,
  resultsEventId,
  resultsStream,
  resultsSubjectKey,
  resultsSubjectOf,
  resultsTestDocumentSchema,
  syntheticResultsData,
} from './results';

const RSC = 'ATHM100M--------------FNL-000100--';
const valid = resultsDocumentPublished.example;

function issuesOf(input: unknown, schema = resultsDocumentSchema): { field: string; message: string }[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
}

/** The data results-ingest would publish for a parsed message (the one builder of it, syntheticResultsData). */
function dataOf(xml: string) {
  const parsed = parseOdfXml(xml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return syntheticResultsData(toOdfJson(parsed.message), { previousVersion: null, receivedAt: '2024-08-01T10:00:00.123Z' });
}

describe('results document data', () => {
  it('accepts what results-ingest builds from a parsed ODF message (the ODF JSON form plus ingest fields)', () => {
    const data = dataOf(makeResultMessage({ rsc: RSC, version: 3, resultStatus: 'OFFICIAL' }).xml);
    const parsed = resultsDocumentSchema.parse(data);
    expect(parsed.version).toBe(3);
    expect(parsed.resultStatus).toBe('OFFICIAL');
    expect(parsed.documentKey).toBe(`OG2024|${RSC}||DT_RESULT|||P`);
    expect(parsed.competition).toEqual(data.competition);
  });

  it('accepts a withdrawal (competition null, withdrawn true) and refuses an inconsistent one', () => {
    const data = dataOf(makeResultMessage({ rsc: RSC, version: 4, withdrawal: true }).xml);
    expect(issuesOf(data)).toEqual([]);
    expect(issuesOf({ ...data, withdrawn: false })).toEqual([
      { field: 'withdrawn', message: 'must be true exactly when competition is null' },
    ]);
  });

  it('checks documentKey and discipline against the header', () => {
    expect(issuesOf({ ...valid, documentKey: 'x' })).toEqual([
      { field: 'documentKey', message: `must be OG2024|${RSC}||DT_RESULT||ENG|P` },
    ]);
    expect(issuesOf({ ...valid, discipline: 'SWM' })).toEqual([
      { field: 'discipline', message: 'must be ATH, from DocumentCode' },
    ]);
  });

  it('keeps the feeds apart: a test-feed message is not valid production data and vice versa', () => {
    expect(issuesOf({ ...valid, feedFlag: 'T', documentKey: `OG2024|${RSC}||DT_RESULT||ENG|T` }).map((i) => i.field)).toEqual([
      'feedFlag',
    ]);
    expect(issuesOf(valid, resultsTestDocumentSchema).map((i) => i.field)).toEqual(['feedFlag']);
  });

  it('bounds every version at 2^31-1 (MAX_ODF_VERSION), the bound results-distribution validates with', () => {
    const max = 2 ** 31 - 1;
    expect(issuesOf({ ...valid, version: max, previousVersion: max - 1, officialVersion: max - 1 })).toEqual([]);
    expect(issuesOf({ ...valid, version: max + 1 }).map((i) => i.field)).toEqual(['version']);
    expect(issuesOf({ ...valid, previousVersion: max + 1 }).map((i) => i.field)).toEqual(['previousVersion']);
    expect(issuesOf({ ...valid, officialVersion: max + 1 }).map((i) => i.field)).toEqual(['officialVersion']);
    const current = dataOf(makeCurrentMessage({ rsc: RSC, version: 9 }).xml);
    expect(issuesOf({ ...current, version: max + 1 }, resultsCurrentSchema).map((i) => i.field)).toEqual(['version']);
    expect(() => parsePayload('ods.results.v1.{discipline}.{rsc}.{documentType}', { ...valid, version: max + 1 })).toThrow(
      ContractViolationError,
    );
  });

  it('keeps DT_CURRENT on its fast-path subject only', () => {
    const current = dataOf(makeCurrentMessage({ rsc: RSC, version: 9 }).xml);
    expect(issuesOf(current, resultsCurrentSchema)).toEqual([]);
    expect(issuesOf(current).map((i) => i.field)).toEqual(['documentType']);
    expect(issuesOf(valid, resultsCurrentSchema).map((i) => i.field)).toEqual(['documentType']);
  });

  it('rejects an unknown DocumentType or ResultStatus and a bad element tree', () => {
    expect(issuesOf({ ...valid, documentType: 'DT_NOPE' }).map((i) => i.field)).toContain('documentType');
    expect(issuesOf({ ...valid, resultStatus: 'FINAL' }).map((i) => i.field)).toEqual(['resultStatus']);
    expect(issuesOf({ ...valid, competition: { Result: { Rank: '1' } } }).map((i) => i.field)).toEqual([
      'competition.Result',
    ]);
    expect(issuesOf({ ...valid, competition: { Rank: 1 } }).map((i) => i.field)).toEqual(['competition.Rank']);
  });

  it('throws a ContractViolationError through parsePayload', () => {
    expect(() => parsePayload('ods.results.v1.{discipline}.{rsc}.{documentType}', { ...valid, version: 0 })).toThrow(
      ContractViolationError,
    );
  });
});

describe('results subjects', () => {
  it('chooses the family by feed and DT_CURRENT', () => {
    expect(resultsSubjectKey({ feedFlag: 'P', documentType: 'DT_RESULT' })).toBe(
      'ods.results.v1.{discipline}.{rsc}.{documentType}',
    );
    expect(resultsSubjectKey({ feedFlag: 'P', documentType: 'DT_CURRENT' })).toBe('ods.results-current.v1.{discipline}.{rsc}');
    expect(resultsSubjectKey({ feedFlag: 'T', documentType: 'DT_MEDALS' })).toBe(
      'ods.results-test.v1.{discipline}.{rsc}.{documentType}',
    );
    expect(resultsSubjectKey({ feedFlag: 'T', documentType: 'DT_CURRENT' })).toBe(
      'ods.results-test-current.v1.{discipline}.{rsc}',
    );
  });

  it('builds the concrete subject like subjectFor does', () => {
    const m = { feedFlag: 'P' as const, documentCode: RSC, documentType: 'DT_RESULT', discipline: 'ATH' };
    expect(resultsSubjectOf(m)).toBe(`ods.results.v1.ATH.${RSC}.DT_RESULT`);
    expect(resultsSubjectOf(m)).toBe(
      subjectFor('ods.results.v1.{discipline}.{rsc}.{documentType}', { discipline: 'ATH', rsc: RSC, documentType: 'DT_RESULT' }),
    );
    expect(resultsSubjectOf({ ...m, documentType: 'DT_CURRENT', feedFlag: 'T' })).toBe(
      `ods.results-test-current.v1.ATH.${RSC}`,
    );
    expect(resultsSubjectOf({ ...m, documentCode: '0000', discipline: null })).toBe(
      `ods.results.v1.${NO_DISCIPLINE_TOKEN}.0000.DT_RESULT`,
    );
  });

  it('declares RESULTS for replay and a latest-only in-memory RESULTS_CURRENT', () => {
    expect(resultsStream).toMatchObject({ name: 'RESULTS', subjects: ['ods.results.v1.>'], storage: 'file', maxAge: 0 });
    expect(resultsCurrentStream).toMatchObject({ storage: 'memory', maxMsgsPerSubject: 1 });
    expect(resultsCurrentPublished.stream).toBe('RESULTS_CURRENT');
  });

  it('derives a deterministic uuid per document version, valid as an envelope id', () => {
    const key = `OG2024|${RSC}||DT_RESULT|||P`;
    const id = resultsEventId(key, 3);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(resultsEventId(key, 3)).toBe(id);
    expect(resultsEventId(key, 4)).not.toBe(id);
    expect(resultsEventId(key.replace('|P', '|T'), 3)).not.toBe(id);
    expect(resultsEventId(key, 3, 'resend')).not.toBe(id);
    const envelope = envelopeFor('ods.results.v1.{discipline}.{rsc}.{documentType}', valid, { id });
    expect(envelope.id).toBe(id);
    expect(envelope.source).toBe('podium/results-ingest');
  });
});

describe('intake', () => {
  it('requires exactly one of xml and message', () => {
    expect(ingestRequestSchema.safeParse({ xml: '<OdfBody/>' }).success).toBe(true);
    expect(ingestRequestSchema.safeParse({ message: {}, apiKey: 'k' }).success).toBe(true);
    expect(ingestRequestSchema.safeParse({}).success).toBe(false);
    expect(ingestRequestSchema.safeParse({ xml: '<OdfBody/>', message: {} }).success).toBe(false);
  });

  it('describes the ack', () => {
    const ack = {
      outcome: 'applied',
      documentKey: valid.documentKey,
      documentType: 'DT_RESULT',
      version: 7,
      previousVersion: 6,
      resultStatus: 'OFFICIAL',
      feedFlag: 'P',
      published: true,
      subject: `ods.results.v1.ATH.${RSC}.DT_RESULT`,
      streamSeq: 12,
      eventId: resultsEventId(valid.documentKey, 7),
      correction: false,
      quarantined: false,
      reason: 'Version 7: replaces Version 6',
      warnings: [],
    };
    expect(ingestAckSchema.parse(ack)).toEqual(ack);
    expect(ingestAckSchema.safeParse({ ...ack, outcome: 'dropped' }).success).toBe(false);
  });
});
