import { fixture, mustParse } from './__fixtures__';
import { attr, child, children } from './element';
import {
  applyEventMedals,
  type EventMedals,
  type MedalBook,
  type Medallist,
  medalsByEvent,
  medalsFromMedallists,
  medalsFromOfficialResult,
  medalTable,
  medalTypeOf,
} from './medals';
import { makeMedallistsMessage, makeResultMessage } from './synthetic';

const SQU_EVENT = 'SQUWSINGLES-----------------------';
const SQU_GOLD_MATCH = 'SQUWSINGLES-----------FNL-000100--';

const medal = (m: Medallist['medal'], noc: string, code = noc): Medallist => ({
  medal: m,
  noc,
  competitorCode: code,
  name: null,
  unitCode: null,
});

describe('medalsFromMedallists', () => {
  it('reads the LA28 squash sample: gold SUI, bronze CZE, no silver', () => {
    expect(medalsFromMedallists(mustParse(fixture('medallists')))).toEqual({
      eventCode: SQU_EVENT,
      source: 'medallists',
      unitCode: null,
      withdrawn: false,
      medals: [
        {
          medal: 'GOLD',
          noc: 'SUI',
          competitorCode: '9373689',
          name: 'Ambre Allinckx',
          unitCode: SQU_GOLD_MATCH,
        },
        {
          medal: 'BRONZE',
          noc: 'CZE',
          competitorCode: '9372599',
          name: 'Karolina Sramkova',
          unitCode: 'SQUWSINGLES-----------FNL-000200--',
        },
      ],
    });
  });

  it('gives the same table as the DT_MEDALS sample of the same feed', () => {
    const book = applyEventMedals({}, medalsFromMedallists(mustParse(fixture('medallists'))));
    const standings = child(mustParse(fixture('medals')).competition ?? undefined, 'MedalStandings');
    const expected = children(child(standings, 'MedalsTable'), 'MedalLine').map((line) => {
      const total = children(line, 'MedalNumber').find((n) => attr(n, 'Type') === 'TOT');
      const count = (k: string): number => Number(attr(total, k) ?? 0);
      return {
        rank: Number(attr(line, 'Rank')),
        noc: attr(line, 'Organisation'),
        gold: count('Gold'),
        silver: count('Silver'),
        bronze: count('Bronze'),
        total: count('Total'),
      };
    });
    expect(medalTable(medalsByEvent(book))).toEqual(expected);
  });

  it('credits a team competitor once, falls back to its athletes\u2019 shared Organisation, skips NOCOMP and unknown codes', () => {
    const m = mustParse(
      makeMedallistsMessage({ eventRsc: 'BDMXDOUBLES-----------------------', medals: [] }).xml.replace(
        '<Competition />',
        '<Competition>' +
          '<Medal Code="ME_GOLD"><Competitor Code="T1" Type="T"><Description TeamName="Team A" /><Composition>' +
          '<Athlete Code="1"><Description Organisation="CHN" /></Athlete><Athlete Code="2"><Description Organisation="CHN" /></Athlete>' +
          '</Composition></Competitor></Medal>' +
          '<Medal Code="ME_SILVER"><Competitor Code="NOCOMP" Organisation="" /></Medal>' +
          '<Medal Code="ME_PARTICIPATION"><Competitor Code="9" Organisation="FRA" /></Medal>' +
          '</Competition>',
      ),
    );
    expect(medalsFromMedallists(m).medals).toEqual([
      { medal: 'GOLD', noc: 'CHN', competitorCode: 'T1', name: 'Team A', unitCode: null },
    ]);
  });

  it('gives an empty, withdrawn set for a withdrawal and refuses other document types', () => {
    const withdrawal = mustParse(
      makeMedallistsMessage({ eventRsc: SQU_EVENT, medals: [], withdrawal: true, version: 5 }).xml,
    );
    expect(medalsFromMedallists(withdrawal)).toMatchObject({ withdrawn: true, medals: [] });
    expect(() => medalsFromMedallists(mustParse(fixture('result')))).toThrow(
      new TypeError('expected a DT_MEDALLISTS message, got DT_RESULT'),
    );
  });
});

describe('medalsFromOfficialResult', () => {
  it('reads a gold-medal match by WLT when told it is one (squash sample; NOCOMP gets no silver)', () => {
    const squash = mustParse(fixture('result'));
    expect(medalsFromOfficialResult(squash, { medalMatch: 'gold' })).toEqual({
      eventCode: SQU_EVENT,
      source: 'result',
      unitCode: SQU_GOLD_MATCH,
      withdrawn: false,
      medals: [
        {
          medal: 'GOLD',
          noc: 'SUI',
          competitorCode: '9373689',
          name: 'Ambre Allinckx',
          unitCode: SQU_GOLD_MATCH,
        },
      ],
    });
    expect(medalsFromOfficialResult(squash, { medalMatch: 'bronze' })?.medals.map((m) => m.medal)).toEqual([
      'BRONZE',
    ]);
    expect(medalsFromOfficialResult(squash)?.medals).toEqual([]);
  });

  it('reads ranks 1-3 of an OFFICIAL result, ties included', () => {
    const official = makeResultMessage({
      rsc: 'ATHW100M--------------FNL-000100--',
      resultStatus: 'OFFICIAL',
      competitors: 8,
    });
    const m = mustParse(official.xml.replace('Rank="2" RankEqual="N"', 'Rank="1" RankEqual="Y"'));
    const medals = medalsFromOfficialResult(m)?.medals ?? [];
    expect(medals.map((x) => x.medal)).toEqual(['GOLD', 'GOLD', 'BRONZE']);
    expect(medals.every((x) => x.unitCode === 'ATHW100M--------------FNL-000100--')).toBe(true);
  });

  it('prefers a Medal attribute where the result gives one', () => {
    const xml = makeResultMessage({
      rsc: 'ATHW100M--------------FNL-000100--',
      resultStatus: 'OFFICIAL',
      competitors: 4,
    }).xml;
    // rank 1 disqualified later: the Medal attributes, not the ranks, tell who gets what
    const m = mustParse(
      xml
        .replace('<Result Rank="2"', '<Result Medal="ME_GOLD" Rank="2"')
        .replace('<Result Rank="3"', '<Result Medal="ME_SILVER" Rank="3"'),
    );
    expect(medalsFromOfficialResult(m)?.medals.map((x) => x.medal)).toEqual(['GOLD', 'SILVER']);
  });

  it('changes nothing before OFFICIAL, and clears the unit on a withdrawal', () => {
    const live = mustParse(
      makeResultMessage({ rsc: 'ATHW100M--------------FNL-000100--', resultStatus: 'UNOFFICIAL' }).xml,
    );
    expect(medalsFromOfficialResult(live)).toBeNull();
    const withdrawn = mustParse(
      makeResultMessage({ rsc: 'ATHW100M--------------FNL-000100--', withdrawal: true }).xml,
    );
    expect(medalsFromOfficialResult(withdrawn)).toMatchObject({ withdrawn: true, medals: [] });
    expect(() => medalsFromOfficialResult(mustParse(fixture('medallists')))).toThrow(TypeError);
  });
});

describe('medal book and table', () => {
  const EV1 = 'ATHM100M--------------------------';
  const EV2 = 'ATHW100M--------------------------';
  const fromResult = (eventCode: string, unitCode: string, medals: Medallist[]): EventMedals => ({
    eventCode,
    source: 'result',
    unitCode,
    withdrawn: false,
    medals,
  });
  const fromMedallists = (eventCode: string, medals: Medallist[], withdrawn = false): EventMedals => ({
    eventCode,
    source: 'medallists',
    unitCode: null,
    withdrawn,
    medals,
  });

  it('ranks by gold, then silver, then bronze; ties share a rank and are sorted by NOC', () => {
    const table = medalTable({
      e1: [medal('GOLD', 'USA'), medal('SILVER', 'KEN'), medal('BRONZE', 'JAM')],
      e2: [medal('GOLD', 'KEN'), medal('SILVER', 'USA'), medal('BRONZE', 'CHN')],
      e3: [medal('GOLD', 'CHN'), medal('SILVER', 'JAM'), medal('BRONZE', 'BRA'), medal('BRONZE', 'AUS')],
      e4: [medal('BRONZE', 'ETH')],
    });
    expect(table).toEqual([
      { rank: 1, noc: 'KEN', gold: 1, silver: 1, bronze: 0, total: 2 },
      { rank: 1, noc: 'USA', gold: 1, silver: 1, bronze: 0, total: 2 },
      { rank: 3, noc: 'CHN', gold: 1, silver: 0, bronze: 1, total: 2 },
      { rank: 4, noc: 'JAM', gold: 0, silver: 1, bronze: 1, total: 2 },
      { rank: 5, noc: 'AUS', gold: 0, silver: 0, bronze: 1, total: 1 },
      { rank: 5, noc: 'BRA', gold: 0, silver: 0, bronze: 1, total: 1 },
      { rank: 5, noc: 'ETH', gold: 0, silver: 0, bronze: 1, total: 1 },
    ]);
    expect(medalTable({})).toEqual([]);
  });

  it('ranks more silvers above more bronzes and more golds above any number of silvers', () => {
    const table = medalTable({
      a: [medal('SILVER', 'AAA'), medal('SILVER', 'AAA'), medal('SILVER', 'AAA')],
      b: [medal('GOLD', 'BBB')],
      c: [medal('SILVER', 'CCC'), medal('BRONZE', 'CCC'), medal('BRONZE', 'CCC'), medal('BRONZE', 'CCC')],
    });
    expect(table.map((r) => [r.rank, r.noc])).toEqual([
      [1, 'BBB'],
      [2, 'AAA'],
      [3, 'CCC'],
    ]);
  });

  it('replaces an event’s medals on a correction and recomputes the table', () => {
    let book: MedalBook = {};
    book = applyEventMedals(
      book,
      fromMedallists(EV1, [medal('GOLD', 'USA'), medal('SILVER', 'JAM'), medal('BRONZE', 'GBR')]),
    );
    book = applyEventMedals(
      book,
      fromMedallists(EV2, [medal('GOLD', 'JAM'), medal('SILVER', 'USA'), medal('BRONZE', 'USA')]),
    );
    expect(medalTable(medalsByEvent(book))[0]).toEqual({
      rank: 1,
      noc: 'USA',
      gold: 1,
      silver: 1,
      bronze: 1,
      total: 3,
    });
    const before = book;
    // correction: the EV1 winner is disqualified
    book = applyEventMedals(
      book,
      fromMedallists(EV1, [medal('GOLD', 'JAM'), medal('SILVER', 'GBR'), medal('BRONZE', 'CAN')]),
    );
    expect(medalTable(medalsByEvent(book))).toEqual([
      { rank: 1, noc: 'JAM', gold: 2, silver: 0, bronze: 0, total: 2 },
      { rank: 2, noc: 'USA', gold: 0, silver: 1, bronze: 1, total: 2 },
      { rank: 3, noc: 'GBR', gold: 0, silver: 1, bronze: 0, total: 1 },
      { rank: 4, noc: 'CAN', gold: 0, silver: 0, bronze: 1, total: 1 },
    ]);
    expect(medalsByEvent(before)[EV1]?.[0]?.noc).toBe('USA'); // the previous book is untouched
  });

  it('uses medal-unit results until DT_MEDALLISTS comes, then DT_MEDALLISTS; its withdrawal falls back', () => {
    let book: MedalBook = {};
    book = applyEventMedals(
      book,
      fromResult(EV1, 'GOLD-MATCH', [medal('GOLD', 'FRA'), medal('SILVER', 'ITA')]),
    );
    book = applyEventMedals(book, fromResult(EV1, 'BRONZE-MATCH', [medal('BRONZE', 'ESP')]));
    expect(medalsByEvent(book)[EV1]?.map((m) => m.noc)).toEqual(['FRA', 'ITA', 'ESP']);
    // a corrected gold-medal match replaces that unit only
    book = applyEventMedals(
      book,
      fromResult(EV1, 'GOLD-MATCH', [medal('GOLD', 'ITA'), medal('SILVER', 'FRA')]),
    );
    expect(medalsByEvent(book)[EV1]?.map((m) => `${m.medal}:${m.noc}`)).toEqual([
      'GOLD:ITA',
      'SILVER:FRA',
      'BRONZE:ESP',
    ]);
    book = applyEventMedals(
      book,
      fromMedallists(EV1, [medal('GOLD', 'ITA'), medal('SILVER', 'FRA'), medal('BRONZE', 'NED')]),
    );
    expect(medalsByEvent(book)[EV1]?.map((m) => m.noc)).toEqual(['ITA', 'FRA', 'NED']);
    book = applyEventMedals(book, fromMedallists(EV1, [], true));
    expect(medalsByEvent(book)[EV1]?.map((m) => m.noc)).toEqual(['ITA', 'FRA', 'ESP']);
    book = applyEventMedals(book, { ...fromResult(EV1, 'BRONZE-MATCH', []), withdrawn: true });
    expect(medalsByEvent(book)[EV1]?.map((m) => m.noc)).toEqual(['ITA', 'FRA']);
  });

  it('end to end from synthetic messages', () => {
    const event = 'SWMW100MFR------------------------';
    let book: MedalBook = {};
    const v1 = mustParse(
      makeMedallistsMessage({
        eventRsc: event,
        medals: [
          { medal: 'GOLD', noc: 'AUS' },
          { medal: 'SILVER', noc: 'CAN' },
          { medal: 'BRONZE', noc: 'USA' },
        ],
      }).xml,
    );
    book = applyEventMedals(book, medalsFromMedallists(v1));
    const v2 = mustParse(
      makeMedallistsMessage({
        eventRsc: event,
        version: 2,
        medals: [
          { medal: 'GOLD', noc: 'CAN' },
          { medal: 'SILVER', noc: 'AUS' },
          { medal: 'BRONZE', noc: 'USA' },
        ],
      }).xml,
    );
    book = applyEventMedals(book, medalsFromMedallists(v2));
    expect(medalTable(medalsByEvent(book)).map((r) => r.noc)).toEqual(['CAN', 'AUS', 'USA']);
  });
});

describe('medalTypeOf', () => {
  it('maps ODF medal codes', () => {
    expect(['ME_GOLD', 'ME_SILVER', 'ME_BRONZE', 'GOLD', 'toString', undefined].map(medalTypeOf)).toEqual([
      'GOLD',
      'SILVER',
      'BRONZE',
      'GOLD',
      null,
      null,
    ]);
  });
});
