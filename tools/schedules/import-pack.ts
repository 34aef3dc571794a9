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

interface Problem {
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

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
  const body = await readFile(file);
  const url = `${values.url.replace(/\/$/, '')}/v1/data-packs${values['dry-run'] ? '?dryRun=true' : ''}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${values.token}` },
    body,
  });
  const text = await response.text();
  if (response.ok) {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
    return 0;
  }
  let problem: Problem = {};
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    problem = { detail: text };
  }
  console.error(`import failed: HTTP ${response.status} ${problem.title ?? ''}: ${problem.detail ?? ''}`);
  for (const e of problem.errors ?? []) console.error(`  ${e.field}: ${e.message}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
