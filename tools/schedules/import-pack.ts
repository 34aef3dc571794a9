/**
 * Imports an edition's data pack into the schedules service through its API (POST /v1/data-packs).
 *
 *   PODIUM_TOKEN=$(npm run -s token -- --sub me --roles schedule-manager) \
 *     npx tsx tools/schedules/import-pack.ts apps/schedules/data/demo-og2024.json [--url http://127.0.0.1:3001] [--dry-run]
 *
 * Prints the import report; on rejection prints every rejected row and why, and exits 1 (nothing was written).
 * Importing the same pack again is a no-op (status "unchanged").
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { apiClient, ok, printProblem, runMain } from '@podium/api-clients';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env['SCHEDULES_URL'] ?? 'http://127.0.0.1:3001' },
      token: { type: 'string', default: process.env['PODIUM_TOKEN'] },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || !values.token) {
    console.error('usage: PODIUM_TOKEN=<schedule-manager token> import-pack.ts <pack.json> [--url URL] [--dry-run]');
    console.error('       a local token: npm run -s token -- --sub me --roles schedule-manager');
    return 2;
  }
  const schedules = apiClient('schedules', { baseUrl: values.url, token: values.token });
  try {
    // The pack is sent as the file has it: the service validates every row and reports each rejected one.
    const body: unknown = JSON.parse(await readFile(file, 'utf8'));
    const report = await ok(schedules.POST('/v1/data-packs', { body, params: { query: values['dry-run'] ? { dryRun: 'true' } : {} } }));
    console.log(JSON.stringify(report, null, 2));
    return 0;
  } catch (error) {
    printProblem(error, (line) => console.error(line));
    return 1;
  }
}

runMain(main);
