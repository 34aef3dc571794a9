import { FIXTURES, fixture, mustParse } from './__fixtures__';
import { attr, child, children } from './element';
import { documentKey, MAX_ODF_VERSION, parseDocumentKey } from './header';
import { buildMessage, odfJsonSchema, parseOdfJson, parseOdfXml, toOdfJson, toOdfXml } from './message';

const UNIT = 'ATHM100M--------------FNL-000100--';
const BASE: Record<string, string> = {
  CompetitionCode: 'OG2024',
  DocumentCode: UNIT,
  DocumentType: 'DT_RESULT',
  Version: '3',
  ResultStatus: 'LIVE',
  FeedFlag: 'P',
  Date: '2024-08-04',
  Time: '213512345',
  LogicalDate: '2024-08-04',
  Source: 'ATHSTA1',
};

function xml(
  overrides: Record<string, string | undefined> = {},
  inner = '<Competition><Result Rank="1"/></Competition>',
): string {
  const attrs = { ...BASE, ...overrides };
  const text = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<OdfBody ${text}>${inner}</OdfBody>`;
}

function errorsOf(result: ReturnType<typeof parseOdfXml>): { field: string; message: string }[] {
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(({ field, message }) => ({ field, message }));
}

describe('parseOdfXml: the real samples', () => {
  it('parses the LA28 squash DT_RESULT (TimeStamp instead of Date/Time, NOCOMP opponent)', () => {
    const m = mustParse(fixture('result'));
    expect(m.header).toEqual({
      competitionCode: 'OG2028-ITL',
      documentCode: 'SQUWSINGLES-----------FNL-000100--',
      documentType: 'DT_RESULT',
      version: 5,
      resultStatus: 'OFFICIAL',
      feedFlag: 'T',
      timeStamp: '2026-09-09T14:30:00.000+02:00',
      logicalDate: '2026-09-09',
      source: 'CSQSQU1',
    });
    expect(m.key).toBe('OG2028-ITL|SQUWSINGLES-----------FNL-000100--||DT_RESULT|||T');
    expect(m.discipline).toBe('SQU');
    expect(m.rsc?.eventCode).toBe('SQUWSINGLES-----------------------');
    expect(m.withdrawal).toBe(false);
    const results = children(m.competition ?? undefined, 'Result');
    expect(results).toHaveLength(2);
    expect(attr(results[0], 'WLT')).toBe('W');
    const winner = child(results[0], 'Competitor');
    expect(attr(winner, 'Organisation')).toBe('SUI');
    const athlete = child(child(winner, 'Composition'), 'Athlete');
    expect(attr(child(athlete, 'Description'), 'FamilyName')).toBe('Allinckx');
    expect(children(child(athlete, 'StatsItems'), 'StatsItem').map((s) => attr(s, 'Value'))).toEqual([
      '9',
      '2',
      '105',
      '46',
    ]);
    const nocomp = child(results[1], 'Competitor');
    expect(nocomp).toEqual({ Code: 'NOCOMP', Type: 'A', Organisation: '', Composition: [{}] });
  });

  it('parses the Paris DT_SCHEDULE: discipline-level DocumentCode, UTF-8 names, a unit RSC with gender "-"', () => {
    const m = mustParse(fixture('schedule'));
    expect(m.header.documentCode).toBe('OWS-------------------------------');
    expect(m.rsc).toBeNull();
    expect(m.discipline).toBe('OWS');
    const units = children(m.competition ?? undefined, 'Unit');
    expect(units.map((u) => attr(u, 'Code'))).toEqual([
      'OWSW10KM--------------FNL-000100--',
      'OWSW10KM--------------VICTMEDAL---',
      'OWSM10KM--------------FNL-000100--',
      'OWSM10KM--------------VICTMEDAL---',
      'OWS-------------------MEET000100--',
    ]);
    expect(children(units[4], 'ItemName').map((n) => attr(n, 'Value'))).toContain(
      'Natation de marathon - réunion technique',
    );
    expect(children(m.competition ?? undefined, 'Session')).toHaveLength(2);
    expect(children(child(m.competition ?? undefined, 'ExtendedInfos'), 'ExtendedInfo')).toHaveLength(2);
  });

  it('parses the CIS DT_SCHEDULE_UPDATE (attributes in unusual order, test feed)', () => {
    const m = mustParse(fixture('scheduleUpdate'));
    expect(m.header).toMatchObject({
      documentType: 'DT_SCHEDULE_UPDATE',
      feedFlag: 'T',
      version: 1,
      time: '043716764',
    });
    expect(m.key).toBe('CIS2025|WRE-------------------------------||DT_SCHEDULE_UPDATE|||T');
    const unit = child(m.competition ?? undefined, 'Unit');
    const starts = children(child(unit, 'StartList'), 'Start');
    expect(starts.map((s) => attr(child(s, 'Competitor'), 'Organisation'))).toEqual(['UZB', 'AZE']);
  });

  it('parses the DT_MEDALLISTS and DT_MEDALS samples', () => {
    const medallists = mustParse(fixture('medallists'));
    expect(medallists.rsc?.code).toBe('SQUWSINGLES-----------------------');
    expect(children(medallists.competition ?? undefined, 'Medal').map((x) => attr(x, 'Code'))).toEqual([
      'ME_GOLD',
      'ME_BRONZE',
    ]);
    const medals = mustParse(fixture('medals'));
    expect(medals.header.resultStatus).toBeUndefined();
    expect(medals.discipline).toBe('SQU');
  });

  it('parses the real Paris DT_STATS (golf cumulative stats)', () => {
    const m = mustParse(fixture('stats'));
    expect(m.key).toBe('OG2024|GLFWSTROKE------------------------|1536522|DT_STATS|CUM||P');
    const items = children(
      child(child(child(child(m.competition ?? undefined, 'Stats'), 'Competitor'), 'Composition'), 'Athlete'),
      'StatsItems',
    );
    const dtp = children(child(items[0], 'StatsItem'), 'ExtendedStat').find(
      (s) => attr(s, 'Code') === 'DTP' && attr(s, 'Pos') === '1',
    );
    expect(attr(dtp, 'Value')).toBe('34\'3 "');
  });

  it('rejects the validator fixtures for their placeholder header values, naming each field', () => {
    for (const name of ['validatorGood', 'validatorBad'] as const) {
      expect(errorsOf(parseOdfXml(fixture(name)))).toEqual([
        { field: 'Date', message: 'must be a date YYYY-MM-DD, got the string "d"' },
        { field: 'Time', message: 'must be a time hhmmssfff (e.g. 175756695), got the string "t"' },
        { field: 'LogicalDate', message: 'must be a date YYYY-MM-DD, got the string "d"' },
      ]);
    }
  });

  it('does not validate sport content: with a real header, PhaseType="9" parses (content rules are out of scope)', () => {
    const fixed = fixture('validatorBad')
      .toString('utf8')
      .replace('Date="d"', 'Date="2026-01-20"')
      .replace('Time="t"', 'Time="101500000"')
      .replace('LogicalDate="d"', 'LogicalDate="2026-01-20"');
    const m = mustParse(fixed);
    expect(m.header.documentCode).toBe('ARC');
    expect(m.discipline).toBe('ARC');
    expect(m.rsc).toBeNull();
  });

  it.each(Object.keys(FIXTURES).filter((k) => !k.startsWith('validator')) as (keyof typeof FIXTURES)[])(
    '%s: JSON and XML forms round-trip to an equal message',
    (name) => {
      const m = mustParse(fixture(name), { extraDocumentTypes: ['DT_STATS'] });
      const json = JSON.parse(JSON.stringify(toOdfJson(m))) as unknown;
      expect(parseOdfJson(json, { extraDocumentTypes: ['DT_STATS'] })).toEqual({ ok: true, message: m });
      expect(parseOdfXml(toOdfXml(m), { extraDocumentTypes: ['DT_STATS'] })).toEqual({
        ok: true,
        message: m,
      });
    },
  );
});

describe('parseOdfXml: header validation', () => {
  it('accepts a minimal valid message and types the header', () => {
    const m = mustParse(xml());
    expect(m.header).toEqual({
      competitionCode: 'OG2024',
      documentCode: UNIT,
      documentType: 'DT_RESULT',
      version: 3,
      resultStatus: 'LIVE',
      feedFlag: 'P',
      date: '2024-08-04',
      time: '213512345',
      logicalDate: '2024-08-04',
      source: 'ATHSTA1',
    });
    expect(m.competition).toEqual({ Result: [{ Rank: '1' }] });
  });

  it.each([
    [{ Version: '0' }, 'Version', 'must be a positive integer (1 or more)'],
    [{ Version: '-1' }, 'Version', 'must be a positive integer, got the string "-1"'],
    [{ Version: '1.5' }, 'Version', 'must be a positive integer, got the string "1.5"'],
    [{ Version: 'two' }, 'Version', 'must be a positive integer, got the string "two"'],
    [
      { Version: '99999999999999999' },
      'Version',
      'must be a positive integer, got the string "99999999999999999"',
    ],
    // One bound for the whole chain (results-distribution stores version as a 32-bit integer): 2^31 is refused.
    [{ Version: '2147483648' }, 'Version', 'must be at most 2147483647 (2^31-1)'],
    [{ Version: '9007199254740991' }, 'Version', 'must be at most 2147483647 (2^31-1)'],
    [{ Version: undefined }, 'Version', 'is required'],
    [{ Version: '' }, 'Version', 'must not be empty'],
    [
      { ResultStatus: 'FINAL' },
      'ResultStatus',
      'must be one of START_LIST, LIVE, INTERMEDIATE, UNCONFIRMED, UNOFFICIAL, OFFICIAL, PARTIAL, PROTESTED, PROVISIONAL, got the string "FINAL"',
    ],
    [
      { DocumentType: 'DT_NOPE' },
      'DocumentType',
      expect.stringMatching(
        /^must be a known ODF DocumentType \(.*DT_LOCAL_OFF\), got the string "DT_NOPE"$/,
      ),
    ],
    [{ FeedFlag: 'X' }, 'FeedFlag', 'must be P (production) or T (test), got the string "X"'],
    [{ FeedFlag: undefined }, 'FeedFlag', 'is required'],
    [{ Date: '2024-02-30' }, 'Date', 'must be a date YYYY-MM-DD, got the string "2024-02-30"'],
    [{ Time: '256000000' }, 'Time', 'must be a time hhmmssfff (e.g. 175756695), got the string "256000000"'],
    [{ Time: undefined }, 'Time', 'is required (or give TimeStamp)'],
    [{ LogicalDate: '04/08/2024' }, 'LogicalDate', 'must be a date YYYY-MM-DD, got the string "04/08/2024"'],
    [
      { Date: undefined, Time: undefined, TimeStamp: '2026-09-09 14:30' },
      'TimeStamp',
      expect.stringMatching(/^must be an ISO-8601 date-time with offset/),
    ],
    [{ CompetitionCode: '' }, 'CompetitionCode', 'must not be empty'],
    [{ CompetitionCode: 'OG 2024' }, 'CompetitionCode', expect.stringMatching(/^must be 1-40 characters/)],
    [{ Source: undefined }, 'Source', 'is required'],
    [
      { DocumentCode: 'atHM100M' },
      'DocumentCode',
      expect.stringMatching(/^must be an RSC or another ODF code/),
    ],
    [
      { DocumentCode: 'ATH-------------------------------' },
      'DocumentCode',
      'must be an event, phase or unit RSC for DT_RESULT, not a discipline-level code',
    ],
    [
      { DocumentType: 'DT_CURRENT', DocumentCode: 'ATH' },
      'DocumentCode',
      'must be a valid RSC for DT_CURRENT: RSC must be 34 characters, got 3',
    ],
    [
      { DocumentType: 'DT_MEDALLISTS', DocumentCode: 'SQU-------------------------------' },
      'DocumentCode',
      expect.stringMatching(/^must be an event, phase or unit RSC for DT_MEDALLISTS/),
    ],
    [
      { DocumentSubcode: 'a|b' },
      'DocumentSubcode',
      'must be 1-64 characters without | or control characters, got the string "a|b"',
    ],
  ])('%j → %s %s', (overrides, field, message) => {
    expect(errorsOf(parseOdfXml(xml(overrides)))).toEqual([{ field, message }]);
  });

  it('accepts Version 2^31-1 (MAX_ODF_VERSION), in XML and JSON, and refuses 2^31 in JSON too', () => {
    expect(MAX_ODF_VERSION).toBe(2 ** 31 - 1);
    const fromXml = parseOdfXml(xml({ Version: String(2 ** 31 - 1) }));
    if (!fromXml.ok) throw new Error(JSON.stringify(fromXml.errors));
    expect(fromXml.message.header.version).toBe(2 ** 31 - 1);
    const fromJson = parseOdfJson(toOdfJson(fromXml.message));
    expect(fromJson.ok && fromJson.message.header.version).toBe(2 ** 31 - 1);
    const over = parseOdfJson({ ...toOdfJson(fromXml.message), version: 2 ** 31 });
    expect(errorsOf(over)).toEqual([{ field: 'version', message: 'must be at most 2147483647 (2^31-1)' }]);
  });

  it('accepts a discipline-level or bare code for non-result types', () => {
    for (const [type, code] of [
      ['DT_SCHEDULE', 'ATH-------------------------------'],
      ['DT_MEDALS', 'ATH'],
      ['DT_PARTIC', 'ATH-------------------------------'],
      ['DT_RECORD', 'ATHM100M--------------------------'],
    ]) {
      expect(parseOdfXml(xml({ DocumentType: type, DocumentCode: code })).ok).toBe(true);
    }
  });

  it('reports every problem at once', () => {
    const fields = errorsOf(parseOdfXml(xml({ Version: 'x', FeedFlag: 'Q', Source: undefined }))).map(
      (e) => e.field,
    );
    expect(fields).toEqual(['Version', 'FeedFlag', 'Source']);
  });

  it('treats empty optional attributes as absent and ignores unknown attributes (namespaces)', () => {
    const m = mustParse(
      xml({ DocumentSubcode: '', Language: '', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' }),
    );
    expect(m.header.documentSubcode).toBeUndefined();
    expect(m.key).toBe(`OG2024|${UNIT}||DT_RESULT|||P`);
  });

  it('accepts TimeStamp alone, or Date/Time alone, and keeps both when both come', () => {
    expect(
      mustParse(xml({ Date: undefined, Time: undefined, TimeStamp: '2026-09-09T14:30:00Z' })).header
        .timeStamp,
    ).toBe('2026-09-09T14:30:00Z');
    const both = mustParse(xml({ TimeStamp: '2024-08-04T21:35:12.345+02:00' })).header;
    expect([both.date, both.time, both.timeStamp]).toEqual([
      '2024-08-04',
      '213512345',
      '2024-08-04T21:35:12.345+02:00',
    ]);
  });
});

describe('parseOdfXml: structure', () => {
  it('reports malformed XML with line and column', () => {
    const result = parseOdfXml('<OdfBody CompetitionCode="OG2024">\n  <Competition>\n</OdfBody>');
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'xml',
          message:
            'malformed XML at line 3, column 1: expected closing tag </Competition> (opened at line 2, column 3), found </OdfBody>',
          line: 3,
          column: 1,
        },
      ],
    });
  });

  it('requires the OdfBody root', () => {
    expect(errorsOf(parseOdfXml('<Competition/>'))).toEqual([
      { field: 'xml', message: 'the root element must be OdfBody, got Competition' },
    ]);
  });

  it('treats a message without Competition as a withdrawal', () => {
    const m = mustParse(xml({}, ''));
    expect(m.withdrawal).toBe(true);
    expect(m.competition).toBeNull();
    expect(toOdfJson(m).competition).toBeNull();
  });

  it('refuses two Competition elements and other OdfBody children', () => {
    expect(errorsOf(parseOdfXml(xml({}, '<Competition/><Competition/>')))).toEqual([
      { field: 'OdfBody.Competition', message: 'Competition may occur only once' },
    ]);
    expect(errorsOf(parseOdfXml(xml({}, '<Competition/><Extra/>')))).toEqual([
      { field: 'OdfBody.Extra', message: 'unexpected element Extra: OdfBody contains only Competition' },
    ]);
  });

  it('decodes bytes as UTF-8 and refuses other declared encodings for bytes', () => {
    const bytes = Buffer.from(xml({}, '<Competition><X Name="réunion"/></Competition>'), 'utf8');
    expect(mustParse(bytes).competition).toEqual({ X: [{ Name: 'réunion' }] });
    const latin1 = Buffer.from(xml().replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect(errorsOf(parseOdfXml(latin1))).toEqual([
      { field: 'xml', message: 'encoding ISO-8859-1 is not supported: send UTF-8' },
    ]);
    expect(errorsOf(parseOdfXml(Buffer.from([0x3c, 0xc3, 0x28])))).toEqual([
      { field: 'xml', message: 'the message is not valid UTF-8' },
    ]);
  });

  it('refuses a DTD (entity expansion guard)', () => {
    const evil =
      '<!DOCTYPE OdfBody [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      xml({ Source: '&b;' });
    const [error] = errorsOf(parseOdfXml(evil));
    expect(error?.message).toBe(
      'malformed XML at line 1, column 1: DOCTYPE is not allowed: ODF messages must not declare a DTD or entities',
    );
  });

  it('applies the depth limit (configurable)', () => {
    // OdfBody and Competition count: 2 + 31 levels
    const deep = '<A>'.repeat(31) + '</A>'.repeat(31);
    expect(errorsOf(parseOdfXml(xml({}, `<Competition>${deep}</Competition>`)))[0]?.message).toMatch(
      /nested deeper than 32 levels$/,
    );
    expect(parseOdfXml(xml({}, `<Competition>${deep}</Competition>`), { limits: { maxDepth: 40 } }).ok).toBe(
      true,
    );
  });

  it('requires the item keys of _UPDATE messages', () => {
    const update = xml(
      {
        DocumentType: 'DT_SCHEDULE_UPDATE',
        DocumentCode: 'ATH-------------------------------',
        ResultStatus: undefined,
      },
      '<Competition><Unit Code="ATHM100M--------------FNL-000100--"/><Unit ScheduleStatus="RUNNING"/><Session/></Competition>',
    );
    expect(errorsOf(parseOdfXml(update))).toEqual([
      {
        field: 'OdfBody.Competition.Unit[1].Code',
        message: 'is required: DT_SCHEDULE_UPDATE merges Unit items by Code',
      },
      {
        field: 'OdfBody.Competition.Session[0].SessionCode',
        message: 'is required: DT_SCHEDULE_UPDATE merges Session items by SessionCode',
      },
    ]);
  });
});

describe('parseOdfJson', () => {
  const valid = {
    competitionCode: 'OG2024',
    documentCode: UNIT,
    documentType: 'DT_RESULT',
    version: 3,
    resultStatus: 'LIVE',
    feedFlag: 'P',
    date: '2024-08-04',
    time: '213512345',
    source: 'ATHSTA1',
    competition: { Result: [{ Rank: '1', Competitor: [{ Code: '123', Organisation: 'KEN' }] }] },
  };

  it('accepts the JSON mapping and gives the same message as the XML form', () => {
    const fromJson = parseOdfJson(valid);
    const fromXml = parseOdfXml(
      xml(
        { LogicalDate: undefined },
        '<Competition><Result Rank="1"><Competitor Code="123" Organisation="KEN"/></Result></Competition>',
      ),
    );
    expect(fromJson).toEqual(fromXml);
    expect(fromJson.ok && fromJson.message.key).toBe(`OG2024|${UNIT}||DT_RESULT|||P`);
  });

  it('copies the tree, so later changes to the input do not reach the message', () => {
    const input = structuredClone(valid);
    const result = parseOdfJson(input);
    input.competition.Result[0]!.Rank = '9';
    expect(result.ok && attr(child(result.message.competition ?? undefined, 'Result'), 'Rank')).toBe('1');
  });

  it('treats a missing or null competition as a withdrawal', () => {
    const { competition: _, ...header } = valid;
    for (const value of [header, { ...header, competition: null }]) {
      const result = parseOdfJson(value);
      expect(result.ok && result.message.withdrawal).toBe(true);
    }
  });

  it('refuses non-objects', () => {
    expect(parseOdfJson([valid])).toEqual({
      ok: false,
      errors: [{ field: '(root)', message: 'must be a JSON object, got an array' }],
    });
    expect(parseOdfJson('x')).toEqual({
      ok: false,
      errors: [{ field: '(root)', message: 'must be a JSON object, got the string "x"' }],
    });
  });

  it('refuses unknown properties, hinting at camelCase', () => {
    const { resultStatus: _, ...rest } = valid;
    expect(parseOdfJson({ ...rest, ResultStatus: 'LIVE', extra: 1 })).toEqual({
      ok: false,
      errors: [
        {
          field: 'ResultStatus',
          message: 'unknown property: did you mean resultStatus? (header fields are camelCase)',
        },
        { field: 'extra', message: 'unknown property' },
      ],
    });
  });

  it('wants version as a number', () => {
    expect(parseOdfJson({ ...valid, version: '3' })).toEqual({
      ok: false,
      errors: [{ field: 'version', message: 'must be a positive integer, got the string "3"' }],
    });
  });

  it('validates the element tree with paths', () => {
    const bad = {
      ...valid,
      competition: {
        Result: [{ Rank: 1, Competitor: { Code: '1' }, 'bad name': 'x', $text: 5 }, 'oops'],
        Gen: null,
      },
    };
    expect(parseOdfJson(bad)).toEqual({
      ok: false,
      errors: [
        {
          field: 'competition.Result[0].Rank',
          message: 'must be a string (attribute) or an array of elements (children), got number 1',
        },
        {
          field: 'competition.Result[0].Competitor',
          message:
            'must be a string (attribute) or an array of elements (children), got an object (child elements are always arrays: wrap it in [ ])',
        },
        {
          field: 'competition.Result[0].bad name',
          message: '"bad name" is not a valid ODF attribute or element name',
        },
        {
          field: 'competition.Result[0].$text',
          message: "must be a string (the element's text), got number 5",
        },
        {
          field: 'competition.Result[1]',
          message:
            'must be an element object (attributes as strings, children as arrays), got the string "oops"',
        },
        {
          field: 'competition.Gen',
          message: 'must be a string (attribute) or an array of elements (children), got null',
        },
      ],
    });
  });

  it('refuses __proto__ keys (as JSON.parse creates them)', () => {
    const value = JSON.parse(
      JSON.stringify({ ...valid, competition: {} }).replace(
        '"competition":{}',
        '"competition":{"__proto__":[{"x":"1"}]}',
      ),
    ) as unknown;
    expect(parseOdfJson(value)).toEqual({
      ok: false,
      errors: [
        {
          field: 'competition.__proto__',
          message: '"__proto__" is not a valid ODF attribute or element name',
        },
      ],
    });
  });

  it('applies the depth and element limits', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { A: [deep] };
    const result = parseOdfJson({ ...valid, competition: deep });
    expect(!result.ok && result.errors[0]?.message).toBe('elements are nested deeper than 32 levels');
    const wide = { Result: Array.from({ length: 20 }, () => ({})) };
    const limited = parseOdfJson({ ...valid, competition: wide }, { limits: { maxElements: 10 } });
    expect(!limited.ok && limited.errors[0]).toEqual({
      field: 'competition.Result[9]',
      message: 'more than 10 elements',
    });
  });

  it('is described by odfJsonSchema for contracts', () => {
    expect(odfJsonSchema.safeParse(valid).success).toBe(true);
    expect(odfJsonSchema.safeParse({ ...valid, competition: null }).success).toBe(true);
    expect(odfJsonSchema.safeParse({ ...valid, version: 0 }).success).toBe(false);
  });
});

describe('document identity', () => {
  it('joins the identity parts with |, feed flag last, and splits back', () => {
    const id = {
      competitionCode: 'OG2024',
      documentCode: UNIT,
      documentSubcode: 'X1',
      documentType: 'DT_RESULT',
      feedFlag: 'T' as const,
    };
    const key = documentKey(id);
    expect(key).toBe(`OG2024|${UNIT}|X1|DT_RESULT|||T`);
    expect(parseDocumentKey(key)).toEqual(id);
    expect(parseDocumentKey('a|b')).toBeNull();
  });

  it('distinguishes production and test feeds, subcodes, subtypes and languages', () => {
    const keys = [
      xml(),
      xml({ FeedFlag: 'T' }),
      xml({ DocumentSubcode: '1' }),
      xml({ DocumentSubtype: 'CUM' }),
      xml({ Language: 'FRA' }),
      xml({ CompetitionCode: 'OG2028' }),
    ].map((x) => mustParse(x).key);
    expect(new Set(keys).size).toBe(keys.length);
    // Version, status and times are not part of the identity
    expect(mustParse(xml({ Version: '9', ResultStatus: 'OFFICIAL', Time: '000000000' })).key).toBe(keys[0]);
  });

  it('buildMessage derives rsc, discipline and withdrawal', () => {
    const m = buildMessage(mustParse(xml()).header, null);
    expect(m.withdrawal).toBe(true);
    expect(m.rsc?.phaseCode).toBe('ATHM100M--------------FNL---------');
    expect(m.discipline).toBe('ATH');
    expect(buildMessage({ ...m.header, documentCode: '123' }, {}).discipline).toBeNull();
  });
});
