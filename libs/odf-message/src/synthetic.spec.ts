import { isRsc } from '@podium/odf';

import { attr, child, children } from './element';
import { parseOdfJson, parseOdfXml, type ParseResult } from './message';
import {
  makeCurrentMessage,
  makeMedallistsMessage,
  makeResultMessage,
  type SyntheticMessage,
} from './synthetic';

const UNIT = 'ATHM100M--------------FNL-000100--';

function both(m: SyntheticMessage): ParseResult {
  const fromXml = parseOdfXml(m.xml);
  expect(fromXml.ok).toBe(true);
  expect(parseOdfJson(JSON.parse(JSON.stringify(m.json)))).toEqual(fromXml);
  return fromXml;
}

describe('makeResultMessage', () => {
  it('produces a valid DT_RESULT whose XML and JSON forms parse to the same message', () => {
    const result = both(
      makeResultMessage({ rsc: UNIT, version: 7, resultStatus: 'OFFICIAL', competitors: 8 }),
    );
    if (!result.ok) throw new Error('invalid');
    const m = result.message;
    expect(m.header).toMatchObject({
      documentType: 'DT_RESULT',
      version: 7,
      resultStatus: 'OFFICIAL',
      feedFlag: 'P',
      date: '2024-08-01',
      time: '100000000',
    });
    const results = children(m.competition ?? undefined, 'Result');
    expect(results.map((r) => attr(r, 'Rank'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const competitor = child(results[0], 'Competitor');
    expect(attr(competitor, 'Organisation')).toMatch(/^[A-Z]{3}$/);
    expect(children(child(results[0], 'ExtendedResults'), 'ExtendedResult')).toHaveLength(3);
    expect(attr(child(child(child(competitor, 'Composition'), 'Athlete'), 'Description'), 'Gender')).toBe(
      'M',
    );
  });

  it('sizes like a real result: about 5 KB for 8 competitors and under 20 KB for 30', () => {
    const size = (n: number): number =>
      Buffer.byteLength(makeResultMessage({ rsc: UNIT, resultStatus: 'OFFICIAL', competitors: n }).xml);
    expect(size(8)).toBeGreaterThan(4_000);
    expect(size(8)).toBeLessThan(7_000);
    expect(size(30)).toBeGreaterThan(15_000);
    expect(size(30)).toBeLessThan(22_000);
  });

  it('follows the result status: START_LIST without ranks, LIVE half finished', () => {
    const ranks = (status: 'START_LIST' | 'LIVE'): (string | undefined)[] => {
      const r = parseOdfXml(makeResultMessage({ rsc: UNIT, resultStatus: status, competitors: 6 }).xml);
      return r.ok ? children(r.message.competition ?? undefined, 'Result').map((x) => attr(x, 'Rank')) : [];
    };
    expect(ranks('START_LIST')).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(ranks('LIVE')).toEqual(['1', '2', '3', undefined, undefined, undefined]);
  });

  it('is deterministic for a seed and varies with it, escaping names safely', () => {
    expect(makeResultMessage({ rsc: UNIT, seed: 4 }).xml).toBe(makeResultMessage({ rsc: UNIT, seed: 4 }).xml);
    expect(makeResultMessage({ rsc: UNIT, seed: 4 }).xml).not.toBe(
      makeResultMessage({ rsc: UNIT, seed: 5 }).xml,
    );
    const many = makeResultMessage({ rsc: UNIT, competitors: 60, seed: 11 });
    expect(many.xml).toContain('FamilyName="O\'NEIL"'); // an apostrophe needs no escaping inside "…"
    both(many);
  });

  it('takes the header options and makes withdrawals', () => {
    const r = both(
      makeResultMessage({
        rsc: UNIT,
        feedFlag: 'T',
        competitionCode: 'OG2028',
        source: 'X1',
        language: 'ENG',
        at: new Date('2028-07-20T18:04:05.006Z'),
      }),
    );
    expect(r.ok && r.message.header).toMatchObject({
      feedFlag: 'T',
      competitionCode: 'OG2028',
      source: 'X1',
      language: 'ENG',
      date: '2028-07-20',
      time: '180405006',
    });
    const w = both(makeResultMessage({ rsc: UNIT, withdrawal: true }));
    expect(w.ok && w.message.withdrawal).toBe(true);
  });

  it('refuses an invalid RSC', () => {
    expect(() => makeResultMessage({ rsc: 'ATH' })).toThrow(
      new TypeError('invalid RSC ATH: RSC must be 34 characters, got 3'),
    );
  });
});

describe('makeCurrentMessage and makeMedallistsMessage', () => {
  it('makes a small LIVE DT_CURRENT', () => {
    const m = makeCurrentMessage({ rsc: UNIT, version: 42, competitors: 8 });
    const r = both(m);
    expect(r.ok && r.message.header).toMatchObject({
      documentType: 'DT_CURRENT',
      version: 42,
      resultStatus: 'LIVE',
    });
    expect(Buffer.byteLength(m.xml)).toBeLessThan(2_500);
  });

  it('makes a DT_MEDALLISTS for the event of any RSC of it', () => {
    const m = makeMedallistsMessage({ eventRsc: UNIT, medals: [{ medal: 'GOLD', noc: 'USA' }] });
    const r = both(m);
    expect(r.ok && r.message.header.documentCode).toBe('ATHM100M--------------------------');
    expect(isRsc(r.ok ? r.message.header.documentCode : '')).toBe(true);
    const empty = makeMedallistsMessage({ eventRsc: UNIT, medals: [] });
    both(empty); // an empty Medal list in JSON is no Medal element, as in XML
  });
});
