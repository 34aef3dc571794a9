/**
 * Loads the Games' accreditations into the accreditation service through its bulk path, with a progress bar
 * (issue 11: 390,000 accreditations, 30% more than Tokyo 2020's ~300,000).
 *
 *   npx tsx tools/bench/accreditation-load.ts --spawn [--scale 1] [--seed 2024]     (a fresh service from dist/, removed after)
 *   npx tsx tools/bench/accreditation-load.ts [--url http://127.0.0.1:3003] ...        (a running service, e.g. npm start's)
 *
 * 1. The reference data: the demo pack (apps/accreditation/data/demo-og2024.json) with more Responsible Organisations
 *    (206 NOCs, 32 IFs, 21 broadcasters, 51 press agencies, 41 contractors: the demo's, then synthetic codes) and
 *    quotas that fit the load (each the demo's quota plus the rows loaded for it), imported through the API as oc-admin
 *    (POST /v1/editions/{edition}/reference-data), never into the database.
 * 2. round(390,000 x --scale) applications, deterministic from --seed (@faker-js/faker, Latin-script locales: names
 *    with accents; each with a passport number and a photo reference, which the service seals per row, so the load
 *    measures the sealing too; drawn from a generator of their own, so the names are those of the same seed before), by category as at a Summer Games: athletes 10,500, alternates 1,000, team officials 6,000, IF 3,000,
 *    broadcasters 20,000, press 4,000, photographers 2,000, OC staff 30,000, volunteers 75,000, contractors 238,500;
 *    within a category the organisations' shares fall with their rank (Zipf, s = 0.7).
 * 3. Sent as an accreditation officer in batches of --batch rows (POST /v1/editions/{edition}/applications/bulk), each
 *    of one organisation and category (as an organisation uploads its list), --concurrency batches in flight, never two
 *    of the same quota at once. Prints the rows, accepted/refused, the time and rows/s (and exits 1 if a row was
 *    refused: the pack's quotas fit the load, so a refusal is a fault; loading twice into the same service is one).
 * 4. --moves (fraction, default 0.01) of the applications are then moved to vetting through the single path
 *    (POST .../transitions), and half of those rejected, so that the state filter has rare states to find.
 *
 * Options: --edition [OG2024] --batch [1000] --concurrency [4] --moves [0.01]; --spawn/--url as in
 * accreditation-service.ts.
 */
import { Faker, de, en, es, fr, it as itLocale, pl, pt_BR, sv, tr, vi } from '@faker-js/faker';
import { apiClient, ok } from '@podium/api-clients';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  type AccreditationTarget,
  accreditationTarget,
  argValue,
  numberOption,
} from './accreditation-service';
import { type BulkLoadResult, BulkProgress, NETWORK_RETRIES, progressBar } from './bulk-load';

const ROOT = resolve(__dirname, '../..');
export const FULL_SIZE = 390_000;

interface DemoPack {
  format: string;
  edition: { code: string; validFrom: string; validTo: string };
  categories: { code: string }[];
  organisations: { code: string; name: string; kind: string; quotas: Record<string, number> }[];
  [key: string]: unknown;
}

export interface Cell {
  organisation: string;
  category: string;
  count: number;
}

export interface ApplicationRow {
  organisation: string;
  category: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  nationality: string;
  /** Sealed by the service (envelope encryption), never stored or logged in plaintext. */
  passportNumber: string;
  photoReference: string;
}

/** Applications per category at scale 1 (390,000 in all), and which kind of organisation applies for them. */
const CATEGORY_PLAN: {
  category: string;
  total: number;
  kind: 'NOC' | 'IF' | 'BROADCASTER' | 'PRESS' | 'OC' | 'CONTRACTOR';
}[] = [
  { category: 'AA', total: 10_500, kind: 'NOC' },
  { category: 'AAP', total: 1_000, kind: 'NOC' },
  { category: 'AO', total: 6_000, kind: 'NOC' },
  { category: 'IF', total: 3_000, kind: 'IF' },
  { category: 'RT', total: 20_000, kind: 'BROADCASTER' },
  { category: 'E', total: 4_000, kind: 'PRESS' },
  { category: 'EP', total: 2_000, kind: 'PRESS' },
  { category: 'OC', total: 30_000, kind: 'OC' },
  { category: 'VOL', total: 75_000, kind: 'OC' },
  { category: 'CON', total: 238_500, kind: 'CONTRACTOR' },
];

/** Synthetic organisation codes: prefix + AA, AB, ... (never a demo code: the demo's are real ones). */
function syntheticCodes(prefix: string, n: number, taken: ReadonlySet<string>): string[] {
  const codes: string[] = [];
  for (let i = 0; codes.length < n; i++) {
    const code = `${prefix}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}${String.fromCharCode(65 + (i % 26))}`;
    if (!taken.has(code)) codes.push(code);
  }
  return codes;
}

/** Splits `total` into integer shares proportional to `weights` (largest remainder), summing exactly to `total`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - shares.reduce((a, b) => a + b, 0); k < left; k++)
    shares[order[k % order.length]![1]]! += 1;
  return shares;
}

/** The scaled pack (demo pack + organisations, quotas fitting the load) and the load's cells (organisation, category, rows). */
export function loadPlan(scale: number, edition = 'OG2024'): { pack: DemoPack; cells: Cell[]; rows: number } {
  const demo = JSON.parse(
    readFileSync(join(ROOT, 'apps/accreditation/data/demo-og2024.json'), 'utf8'),
  ) as DemoPack;
  const pack = structuredClone(demo);
  pack.edition.code = edition;
  const taken = new Set(demo.organisations.map((o) => o.code));
  const demoOf = (kind: string) => demo.organisations.filter((o) => o.kind === kind).map((o) => o.code);
  // The demo's organisations first (USA, FRA, JPN lead the NOCs; KEN further down), then synthetic ones.
  const nocs = [
    'USA',
    'FRA',
    'JPN',
    ...syntheticCodes('N', 26, taken),
    'KEN',
    ...syntheticCodes('M', 176, taken),
  ];
  const byKind: Record<(typeof CATEGORY_PLAN)[number]['kind'], string[]> = {
    NOC: nocs,
    IF: [...demoOf('IF'), ...syntheticCodes('IF', 30, taken)],
    BROADCASTER: [...demoOf('BROADCASTER'), ...syntheticCodes('RTV', 20, taken)],
    PRESS: [...demoOf('PRESS'), ...syntheticCodes('PRS', 50, taken)],
    OC: demoOf('OC'),
    CONTRACTOR: [...demoOf('OC'), ...syntheticCodes('CTR', 40, taken)],
  };
  const rows = Math.round(FULL_SIZE * scale);
  const categoryTotals = apportion(
    rows,
    CATEGORY_PLAN.map((c) => c.total),
  );
  const cells: Cell[] = [];
  CATEGORY_PLAN.forEach((plan, i) => {
    const organisations = byKind[plan.kind];
    const shares = apportion(
      categoryTotals[i]!,
      organisations.map((_, rank) => 1 / (rank + 1) ** 0.7),
    );
    organisations.forEach((organisation, rank) => {
      if (shares[rank]! > 0) cells.push({ organisation, category: plan.category, count: shares[rank]! });
    });
  });
  const kindOf = (code: string): string => {
    if (nocs.includes(code)) return 'NOC';
    if (code.startsWith('IF')) return 'IF';
    if (code.startsWith('RTV')) return 'BROADCASTER';
    if (code.startsWith('PRS')) return 'PRESS';
    return 'OTHER';
  };
  const organisations = new Map(pack.organisations.map((o) => [o.code, o]));
  for (const cell of cells) {
    let org = organisations.get(cell.organisation);
    if (!org) {
      org = {
        code: cell.organisation,
        name: `Synthetic ${kindOf(cell.organisation)} ${cell.organisation}`,
        kind: kindOf(cell.organisation),
        quotas: {},
      };
      organisations.set(cell.organisation, org);
      pack.organisations.push(org);
    }
    org.quotas[cell.category] =
      (demo.organisations.find((o) => o.code === cell.organisation)?.quotas[cell.category] ?? 0) + cell.count;
  }
  return { pack, cells, rows };
}

/** The applications of every cell, in cell order, deterministic from `seed`. */
export function generateRows(cells: readonly Cell[], seed: number): ApplicationRow[][] {
  const locales = [en, fr, de, es, itLocale, pl, pt_BR, sv, tr, vi].map((locale, i) => {
    const f = new Faker({ locale: [locale, en] });
    f.seed(seed * 100 + i);
    return f;
  });
  const pick = new Faker({ locale: en });
  pick.seed(seed);
  // the personal fields from a generator of their own: `pick` and the locales draw what they drew before they existed
  const personal = new Faker({ locale: en });
  personal.seed(seed * 100 + 99);
  const nocs = [...new Set(cells.filter((c) => c.category === 'AA').map((c) => c.organisation))].filter((c) =>
    /^[A-Z]{3}$/.test(c),
  );
  return cells.map((cell) =>
    Array.from({ length: cell.count }, () => {
      const f = locales[pick.number.int({ min: 0, max: locales.length - 1 })]!;
      const sex = pick.datatype.boolean() ? 'female' : 'male';
      const year = pick.number.int({ min: 1950, max: 2008 });
      const month = pick.number.int({ min: 1, max: 12 });
      const day = pick.number.int({ min: 1, max: 28 });
      const nationality =
        /^[A-Z]{3}$/.test(cell.organisation) && ['AA', 'AAP', 'AO'].includes(cell.category)
          ? cell.organisation
          : nocs[pick.number.int({ min: 0, max: nocs.length - 1 })]!;
      return {
        organisation: cell.organisation,
        category: cell.category,
        familyName: f.person.lastName(sex),
        givenName: f.person.firstName(sex),
        dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        nationality,
        passportNumber: personal.string.alphanumeric({ length: personal.number.int({ min: 8, max: 9 }), casing: 'upper' }),
        photoReference: `photos/${cell.organisation}/${personal.string.alphanumeric({ length: 20, casing: 'lower' })}.jpg`,
      };
    }),
  );
}

export interface LoadResult extends BulkLoadResult {
  rows: number;
  /** The ids of the accepted rows, in cell order. */
  ids: string[];
}

/** Imports the pack as oc-admin (through the API), then sends every cell's rows through the bulk path. */
export async function loadAccreditations(
  target: AccreditationTarget,
  options: { scale: number; seed: number; edition: string; batch: number; concurrency: number },
  log: (line: string) => void,
): Promise<LoadResult> {
  const { pack, cells, rows } = loadPlan(options.scale, options.edition);
  const edition = { params: { path: { edition: options.edition } } };
  const client = (token: string) => apiClient('accreditation', { baseUrl: target.url, token, networkRetries: NETWORK_RETRIES, conflictRetries: 0 });
  const admin = client(target.token(['oc-admin'], { sub: 'accreditation-loader' }));
  const imported = await ok(admin.POST('/v1/editions/{edition}/reference-data', { ...edition, body: pack }));
  log(`reference data: ${pack.organisations.length} organisations, ${cells.length} quotas (${imported.status})`);
  const generatedAt = Date.now();
  const byCell = generateRows(cells, options.seed);
  log(
    `generated ${rows.toLocaleString('en')} applications (seed ${options.seed}) in ${((Date.now() - generatedAt) / 1000).toFixed(1)} s`,
  );

  const officer = client(target.token(['accreditation-officer'], { sub: 'accreditation-loader' }));
  // The batches of each cell in order; a worker takes the next batch of a cell no other worker is sending.
  const queues = byCell.map((cellRows, cell) => ({
    cell,
    next: 0,
    rows: cellRows,
    busy: false,
    ids: [] as string[],
  }));
  const progress = new BulkProgress(rows);
  const worker = async (): Promise<void> => {
    for (;;) {
      const queue = queues.find((q) => !q.busy && q.next < q.rows.length);
      if (!queue) {
        if (queues.every((q) => q.next >= q.rows.length)) return;
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      queue.busy = true;
      const batch = queue.rows.slice(queue.next, queue.next + options.batch);
      queue.next += batch.length;
      try {
        const report = await ok(officer.POST('/v1/editions/{edition}/applications/bulk', { ...edition, body: { rows: batch } }));
        const refusals: string[] = [];
        for (const item of report.items) {
          if (item.status === 'accepted') queue.ids.push(item.id);
          else refusals.push(`${item.reason}: ${item.detail}`);
        }
        progress.record(batch.length, report.accepted, report.refused, refusals);
      } finally {
        queue.busy = false;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    progress.stop();
  }
  return { rows, ...progress.result(), ids: queues.flatMap((q) => q.ids) };
}

/** Moves `fraction` of the applications to vetting (every k-th id), and every other one of those on to rejected. */
export async function moveSome(
  target: AccreditationTarget,
  edition: string,
  ids: readonly string[],
  fraction: number,
  concurrency: number,
): Promise<{ vetting: number; rejected: number; seconds: number; conflicts: number }> {
  if (fraction <= 0) return { vetting: 0, rejected: 0, seconds: 0, conflicts: 0 };
  const step = Math.max(1, Math.round(1 / fraction));
  const chosen = ids.filter((_, i) => i % step === 0);
  let conflicts = 0;
  // A rejection gives its quota place back: rejections of one quota's applications conflict, and a 409
  // serialization-conflict says to retry the request (as a client of the API does).
  const officer = apiClient('accreditation', {
    baseUrl: target.url,
    token: target.token(['accreditation-officer'], { sub: 'accreditation-loader' }),
    networkRetries: NETWORK_RETRIES,
    conflictRetries: 9,
    conflictBackoffMs: 50,
    onConflictRetry: () => conflicts++,
  });
  const moves = [
    ...chosen.map((id) => ({ id, to: 'vetting' as const })),
    ...chosen.filter((_, i) => i % 2 === 0).map((id) => ({ id, to: 'rejected' as const })),
  ];
  const bar = progressBar('workflow moves');
  const started = Date.now();
  bar.start(moves.length, 0, { rate: 0 });
  let next = 0;
  // The rejections follow their application's move to vetting: the first half of the list is done before the second.
  const run = async (until: number): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= until) return;
      const move = moves[i]!;
      await ok(
        officer.POST('/v1/editions/{edition}/applications/{id}/transitions', {
          params: { path: { edition, id: move.id } },
          body: { to: move.to, reason: move.to === 'rejected' ? 'load: not eligible' : 'load: checks' },
        }),
      );
      bar.increment(1, { rate: Math.round((i + 1) / ((Date.now() - started) / 1000)) });
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, () => run(chosen.length)));
    await Promise.all(Array.from({ length: concurrency }, () => run(moves.length)));
  } finally {
    bar.stop();
  }
  return {
    vetting: chosen.length - Math.ceil(chosen.length / 2),
    rejected: Math.ceil(chosen.length / 2),
    seconds: (Date.now() - started) / 1000,
    conflicts,
  };
}

export function loadOptions(argv: readonly string[]) {
  return {
    scale: numberOption(argv, 'scale', 1, false),
    seed: numberOption(argv, 'seed', 2024),
    edition: argValue(argv, 'edition') ?? 'OG2024',
    batch: Math.min(1_000, numberOption(argv, 'batch', 1_000)),
    concurrency: numberOption(argv, 'concurrency', 4),
    moves: Number(argValue(argv, 'moves') ?? '0.01'),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = loadOptions(argv);
  const log = (line: string): void => console.log(line);
  const target = await accreditationTarget(argv, log);
  try {
    const result = await loadAccreditations(target, options, log);
    console.log(
      `loaded ${result.accepted.toLocaleString('en')} of ${result.rows.toLocaleString('en')} applications (${result.refused} refused) in ${result.seconds.toFixed(1)} s: ` +
        `${Math.round(result.accepted / result.seconds).toLocaleString('en')} rows/s, ${result.requests} bulk requests of up to ${options.batch} rows, ${options.concurrency} in flight`,
    );
    for (const refusal of result.firstRefusals) console.log(`  refused: ${refusal}`);
    const moved = await moveSome(target, options.edition, result.ids, options.moves, 8);
    if (moved.vetting + moved.rejected > 0)
      console.log(
        `moved ${moved.vetting + moved.rejected} to vetting, ${moved.rejected} of them on to rejected, in ${moved.seconds.toFixed(1)} s (${moved.conflicts} answers 409 serialization-conflict, retried)`,
      );
    if (result.refused > 0) process.exitCode = 1;
  } finally {
    await target.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
