import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads a header and rows with their line numbers, quotes, CRLF and a BOM', () => {
    const csv = parseCsv('\uFEFFNOC,Family_Name,given_name\r\nJPN,"Sani, Brown","Abdul ""Hakim"""\r\n\r\nFRA,Martin,Lucas\r\n');
    expect(csv).toEqual({
      ok: true,
      header: ['noc', 'family_name', 'given_name'],
      rows: [
        { line: 2, values: { noc: 'JPN', family_name: 'Sani, Brown', given_name: 'Abdul "Hakim"' } },
        { line: 4, values: { noc: 'FRA', family_name: 'Martin', given_name: 'Lucas' } },
      ],
    });
  });

  it('keeps line numbers right after a quoted line break and reads a last line without newline', () => {
    const csv = parseCsv('a,b\n"x\ny",1\nz,2');
    expect(csv.ok && csv.rows.map((r) => [r.line, r.values['a']])).toEqual([
      [2, 'x\ny'],
      [4, 'z'],
    ]);
  });

  it('reports the line of a malformed row', () => {
    expect(parseCsv('a,b\n1,2\n3\n')).toEqual({ ok: false, line: 3, error: 'expected 2 fields (as the header), got 1' });
    expect(parseCsv('a,b\n"1,2\n')).toEqual({ ok: false, line: 2, error: 'a quoted field is not closed' });
    expect(parseCsv('')).toEqual({ ok: false, line: 1, error: 'the file is empty: expected a header line' });
  });
});
