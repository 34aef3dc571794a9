import {
  resultsCurrentSchema,
  resultsDocumentSchema,
  resultsTestDocumentSchema,
} from '@podium/contracts';
import { parseRscOrThrow } from '@podium/odf';
import { decide, makeCurrentMessage, makeMedallistsMessage, makeResultMessage, type OdfJson, toOdfXml } from '@podium/odf-message';

import {
  correctionNote,
  dispositionOf,
  IngestError,
  lockKeyOf,
  matchForRsc,
  outcomeOf,
  parseJsonInput,
  parseJsonText,
  parseXmlInput,
  resultsDataOf,
  scheduleMatchOf,
  storedStateOf,
} from './intake.logic';

const RSC = 'ATHM100M--------------FNL-000100--';
const AT = new Date('2024-08-04T19:58:12.401Z');
const EXTRAS = {
  correction: false,
  officialVersion: null,
  notes: [],
  previousVersion: null,
  quarantined: false,
  resent: false,
  receivedAt: AT,
};

function thrown(work: () => unknown): IngestError {
  try {
    work();
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected an IngestError');
}

const partic = (type: 'DT_PARTIC' | 'DT_PARTIC_UPDATE'): OdfJson =>
  ({
    competitionCode: 'OG2024',
    documentCode: 'ATH-------------------------------',
    documentType: type,
    version: 2,
    feedFlag: 'P',
    date: '2024-08-01',
    time: '100000000',
    source: 'OVR',
    competition: { Participant: [{ Code: '1' }] },
  }) as OdfJson;

describe('parsing the request', () => {
  it('parses XML bytes and keeps the text as received', () => {
    const m = makeResultMessage({ rsc: RSC, version: 3 });
    const input = parseXmlInput(Buffer.from(m.xml));
    expect(input).toMatchObject({ format: 'xml', raw: m.xml });
    expect(input.message.key).toBe(`OG2024|${RSC}||DT_RESULT|||P`);
  });

  it('tells malformed XML (400) from an invalid ODF message (422), naming the fields', () => {
    const malformed = thrown(() => parseXmlInput('<OdfBody><Competition></OdfBody>'));
    expect(malformed).toMatchObject({ code: 'malformed-message', status: 400 });
    expect(malformed.message).toMatch(/^Malformed XML: xml: malformed XML at line 1, column \d+/);
    expect(malformed.errors[0]?.field).toBe('body.xml');

    const m = makeResultMessage({ rsc: RSC });
    const invalid = thrown(() => parseXmlInput(m.xml.replace('"DT_RESULT"', '"DT_NOPE"').replace('"LIVE"', '"FINAL"')));
    expect(invalid).toMatchObject({ code: 'invalid-odf-message', status: 422 });
    expect(invalid.errors.map((e) => e.field)).toEqual(['body.DocumentType', 'body.ResultStatus']);
    expect(invalid.message).toMatch(/^Invalid ODF message: DocumentType: must be a known ODF DocumentType .* \(and 1 more\)$/);
  });

  it('parses the JSON form and reports JSON problems', () => {
    const m = makeResultMessage({ rsc: RSC });
    expect(parseJsonInput(m.json, JSON.stringify(m.json)).message.header.version).toBe(1);
    expect(thrown(() => parseJsonInput([1], '[1]'))).toMatchObject({ code: 'malformed-message', status: 400 });
    expect(thrown(() => parseJsonInput({ ...m.json, version: '1' }, '')).errors).toEqual([
      { field: 'body.version', message: 'must be a positive integer, got the string "1"' },
    ]);
    const syntax = thrown(() => parseJsonText('{"a":', 'message.'));
    expect(syntax).toMatchObject({ code: 'malformed-message', errors: [{ field: 'message', message: 'is not valid JSON' }] });
    expect(syntax.message).toMatch(/^Malformed JSON: /);
  });
});

describe('schedule check', () => {
  it('checks result documents at the level of their RSC and leaves other documents alone', () => {
    const result = parseXmlInput(makeResultMessage({ rsc: RSC }).xml).message;
    expect(scheduleMatchOf(result)).toEqual({ column: 'rsc', value: RSC });
    const medallists = parseXmlInput(makeMedallistsMessage({ eventRsc: RSC, medals: [{ medal: 'GOLD', noc: 'USA' }] }).xml).message;
    expect(scheduleMatchOf(medallists)).toEqual({ column: 'event_rsc', value: 'ATHM100M--------------------------' });
    expect(matchForRsc(parseRscOrThrow('ATHM100M--------------FNL---------'))).toEqual({
      column: 'phase_rsc',
      value: 'ATHM100M--------------FNL---------',
    });
    expect(scheduleMatchOf(parseJsonInput(partic('DT_PARTIC'), '').message)).toBeNull();
  });
});

describe('outcomes', () => {
  it('maps the version rules to the answer and the recorded disposition', () => {
    expect(outcomeOf({ kind: 'apply' }, false)).toBe('applied');
    expect(outcomeOf({ kind: 'merge' }, false)).toBe('applied');
    expect(outcomeOf({ kind: 'apply' }, true)).toBe('quarantined');
    expect(outcomeOf({ kind: 'withdraw' }, true)).toBe('withdrawn');
    expect(outcomeOf({ kind: 'duplicate' }, false)).toBe('duplicate');
    expect(outcomeOf({ kind: 'conflict-duplicate' }, false)).toBe('duplicate');
    expect(outcomeOf({ kind: 'stale' }, true)).toBe('stale');
    expect(['apply', 'merge', 'withdraw', 'conflict-duplicate', 'stale'].map((kind) => dispositionOf({ kind: kind as 'apply' }))).toEqual([
      'applied',
      'merged',
      'withdrawn',
      'conflict',
      'stale',
    ]);
  });

  it('writes a correction note only for a new version after OFFICIAL', () => {
    const official = parseXmlInput(makeResultMessage({ rsc: RSC, version: 1, resultStatus: 'OFFICIAL' }).xml).message;
    const v2 = parseXmlInput(makeResultMessage({ rsc: RSC, version: 2, resultStatus: 'OFFICIAL', seed: 2 }).xml).message;
    const state = { ...storedStateOf({ key: official.key, version: 1n, resultStatus: 'OFFICIAL', withdrawn: false, fingerprint: null, officialVersion: 1n }) };
    const decision = decide(state, v2);
    expect(decision.correction).toBe(true);
    expect(correctionNote(v2, decision, 1, AT)).toBe(
      '2024-08-04T19:58:12.401Z: Version 2 corrects (ResultStatus OFFICIAL) OFFICIAL Version 1',
    );
    expect(correctionNote(v2, decide(null, v2), null, AT)).toBeNull();
  });

  it('serializes _UPDATE messages on their base document', () => {
    const update = parseJsonInput(partic('DT_PARTIC_UPDATE'), '').message;
    expect(lockKeyOf(update)).toBe('OG2024|ATH-------------------------------||DT_PARTIC|||P');
    const result = parseXmlInput(makeResultMessage({ rsc: RSC }).xml).message;
    expect(lockKeyOf(result)).toBe(result.key);
  });
});

describe('published data', () => {
  it('is valid for the contract of each family', () => {
    const result = parseXmlInput(makeResultMessage({ rsc: RSC, version: 4, resultStatus: 'OFFICIAL' }).xml).message;
    const data = resultsDataOf(result, { ...EXTRAS, previousVersion: 3, notes: ['n1'] });
    expect(resultsDocumentSchema.parse(data)).toMatchObject({
      version: 4,
      resultStatus: 'OFFICIAL',
      discipline: 'ATH',
      documentKey: result.key,
      previousVersion: 3,
      notes: ['n1'],
      baseDocumentKey: null,
      receivedAt: '2024-08-04T19:58:12.401Z',
    });
    expect(resultsDataOf(result, EXTRAS)).not.toHaveProperty('notes');

    const current = parseXmlInput(makeCurrentMessage({ rsc: RSC, version: 9 }).xml).message;
    expect(resultsCurrentSchema.safeParse(resultsDataOf(current, EXTRAS)).success).toBe(true);

    const test = parseXmlInput(makeResultMessage({ rsc: RSC, feedFlag: 'T' }).xml).message;
    expect(resultsTestDocumentSchema.safeParse(resultsDataOf(test, EXTRAS)).success).toBe(true);
    expect(resultsDocumentSchema.safeParse(resultsDataOf(test, EXTRAS)).success).toBe(false);

    const withdrawal = parseXmlInput(makeResultMessage({ rsc: RSC, withdrawal: true }).xml).message;
    expect(resultsDocumentSchema.parse(resultsDataOf(withdrawal, EXTRAS))).toMatchObject({ withdrawn: true, competition: null });

    const update = parseXmlInput(toOdfXml(partic('DT_PARTIC_UPDATE'))).message;
    expect(resultsDocumentSchema.parse(resultsDataOf(update, EXTRAS)).baseDocumentKey).toBe(
      'OG2024|ATH-------------------------------||DT_PARTIC|||P',
    );
  });
});
