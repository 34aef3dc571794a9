/**
 * Loads the entries demo of OG2024 (apps/entries/data) into a running entries service, through its API:
 *   1. PUT the rules pack (rules-og2024.json; unchanged when already imported),
 *   2. wait until the entries service knows the events the demo enters (they come from schedules over NATS:
 *      load the schedules demo pack first),
 *   3. import athletes, marks, Entries by Number and Entries by Name from the demo CSVs (skipped when the edition
 *      already has entries, so a second `npm start` changes nothing).
 *
 *   PODIUM_TOKEN=$(npm run -s token -- --sub demo-loader --roles oc-admin) \
 *     npx tsx tools/entries/load-demo.ts [--url http://127.0.0.1:3002] [--data apps/entries/data] [--wait-seconds 60]
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apiClient, ok, runMain } from '@podium/api-clients';
import { printProblem } from './client';

const EDITION = 'OG2024';

/** The distinct values of a column of a CSV text (header on the first line, no quoted commas in these columns). */
function column(csv: string, name: string): string[] {
  const [header = '', ...lines] = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const index = header.split(',').map((h) => h.trim().toLowerCase()).indexOf(name);
  return [...new Set(lines.map((l) => (l.split(',')[index] ?? '').trim()).filter((v) => v !== ''))];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env['ENTRIES_URL'] ?? 'http://127.0.0.1:3002' },
      token: { type: 'string', default: process.env['PODIUM_TOKEN'] },
      data: { type: 'string', default: resolve(__dirname, '../../apps/entries/data') },
      'wait-seconds': { type: 'string', default: '60' },
    },
  });
  if (!values.token) {
    console.error('usage: PODIUM_TOKEN=<oc-admin token> load-demo.ts [--url URL] [--data DIR] [--wait-seconds N]');
    console.error('       a local token: npm run -s token -- --sub demo-loader --roles oc-admin');
    return 2;
  }
  const entries = apiClient('entries', { baseUrl: values.url, token: values.token });
  const read = (file: string) => readFile(join(values.data, file), 'utf8');
  const edition = { path: { edition: EDITION } };
  try {
    const pack: unknown = JSON.parse(await read('rules-og2024.json'));
    const rules = await ok(entries.PUT('/v1/editions/{edition}/rules', { params: edition, body: pack }));
    console.log(`rules pack ${rules.status} (version ${rules.version})`);

    const files = {
      athletes: await read('athletes-og2024.csv'),
      performances: await read('performances-og2024.csv'),
      entryNumbers: await read('entry-numbers-og2024.csv'),
      entries: await read('entries-og2024.csv'),
    };
    const needed = column(files.entries, 'event').map((code) => code.padEnd(34, '-'));
    const deadline = Date.now() + Number(values['wait-seconds']) * 1000;
    for (;;) {
      const known = new Set((await ok(entries.GET('/v1/editions/{edition}/events', { params: edition }))).map((x) => x.rsc));
      const missing = needed.filter((rsc) => !known.has(rsc));
      if (missing.length === 0) break;
      if (Date.now() > deadline) {
        console.error(`the entries service does not know ${missing.map((m) => m.replace(/-+$/, '')).join(', ')} yet:`);
        console.error('load the schedules demo pack first (tools/schedules/import-pack.ts); events come from schedules over NATS');
        return 1;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }

    const existing = await ok(entries.GET('/v1/editions/{edition}/entries', { params: { ...edition, query: { limit: 1 } } }));
    if (existing.length > 0) {
      console.log(`${EDITION} already has entries: demo athletes and entries not imported again`);
      return 0;
    }
    const report = await ok(entries.POST('/v1/editions/{edition}/imports', { params: edition, body: files }));
    console.log(`demo ${report.status}: ${Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    return 0;
  } catch (error) {
    printProblem(error, (line) => console.error(line));
    return 1;
  }
}

runMain(main);
