/**
 * Bulk import of athletes, marks, Entries by Number and Entries by Name into the entries service from CSV files,
 * through its API (POST /v1/editions/{edition}/imports). Every row is checked and reported; one rejected row
 * rejects the import and nothing is written.
 *
 *   PODIUM_TOKEN=$(npm run -s token -- --sub me --roles oc-admin) npx tsx tools/entries/import-csv.ts \
 *     --edition OG2024 --athletes athletes.csv --performances marks.csv --entry-numbers numbers.csv --entries entries.csv \
 *     [--url http://127.0.0.1:3002] [--dry-run]
 *
 * An NOC official imports only their NOC's rows (token: --roles noc-official --noc JPN). CSV formats: docs/entries.md.
 * Exit code 0 imported (or valid with --dry-run), 1 rejected (per-row report on stderr), 2 usage.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { apiClient, ok, runMain } from '@podium/api-clients';
import { printProblem, printRows } from './client';

const FILES = { athletes: 'athletes', performances: 'performances', 'entry-numbers': 'entryNumbers', entries: 'entries' } as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env['ENTRIES_URL'] ?? 'http://127.0.0.1:3002' },
      token: { type: 'string', default: process.env['PODIUM_TOKEN'] },
      edition: { type: 'string' },
      athletes: { type: 'string' },
      performances: { type: 'string' },
      'entry-numbers': { type: 'string' },
      entries: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const body: { athletes?: string; performances?: string; entryNumbers?: string; entries?: string } = {};
  for (const [option, field] of Object.entries(FILES)) {
    const path = values[option as keyof typeof FILES];
    if (path) body[field] = await readFile(path, 'utf8');
  }
  if (!values.token || !values.edition || Object.keys(body).length === 0) {
    console.error(
      'usage: PODIUM_TOKEN=<token> import-csv.ts --edition OG2024 [--athletes f.csv] [--performances f.csv] ' +
        '[--entry-numbers f.csv] [--entries f.csv] [--url URL] [--dry-run]',
    );
    console.error('       a local token: npm run -s token -- --sub me --roles oc-admin');
    return 2;
  }
  const entries = apiClient('entries', { baseUrl: values.url, token: values.token });
  try {
    const report = await ok(
      entries.POST('/v1/editions/{edition}/imports', {
        params: { path: { edition: values.edition }, query: values['dry-run'] ? { dryRun: 'true' } : {} },
        body,
      }),
    );
    console.log(`${report.status}: ${Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    printRows(report.rows, (line) => console.log(line));
    return 0;
  } catch (error) {
    printProblem(error, (line) => console.error(line));
    return 1;
  }
}

runMain(main);
