/** A data row of a CSV file: values by (lowercased, trimmed) header, and its line number in the file. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export type ParsedCsv = { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; line: number; error: string };

/**
 * Parses RFC 4180 CSV (comma separated, double-quoted fields with "" escapes, CRLF or LF). The first line is the
 * header; blank lines are skipped; a row with a different number of fields than the header is an error.
 */
export function parseCsv(text: string): ParsedCsv {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !fieldStarted)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') return { ok: false, line, error: 'a quote may only open a field' };
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { ok: false, line: recordLine, error: 'a quoted field is not closed' };
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();

  const [head, ...rest] = records;
  if (!head) return { ok: false, line: 1, error: 'the file is empty: expected a header line' };
  const header = head.fields.map((h) => h.trim().toLowerCase());
  const rows: CsvRow[] = [];
  for (const record of rest) {
    if (record.fields.every((f) => f.trim() === '')) continue;
    if (record.fields.length !== header.length) {
      return { ok: false, line: record.line, error: `expected ${header.length} fields (as the header), got ${record.fields.length}` };
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => {
      values[h] = (record.fields[i] ?? '').trim();
    });
    rows.push({ line: record.line, values });
  }
  return { ok: true, header, rows };
}
