/**
 * Closed-loop timing of a service's GET searches, for the search benchmarks (volunteers-search.ts; the loop of
 * accreditation-search.ts is the same and can move here): `clients` concurrent clients, each sending its next request
 * as soon as the previous one answered (so none waits to be sent), each time from send to the whole body read; per kind
 * p50/p95/p99/max, the mean items per page, the service's CPU per request and how busy the machine was meanwhile.
 */
import { seededRandom } from '@podium/random';
import { Client } from 'pg';

import type { ServiceTarget } from './accreditation-service';
import { Histogram } from './histogram';
import { cpuSeconds, loadAverage, machineBusySeconds } from './proc';

export interface Answer {
  ms: number;
  items: number;
  nextCursor: string | null;
}

export interface KindResult {
  kind: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
  meanItems: number;
  serviceCpuMs: number;
  machineCores: number;
}

export class SearchRunner {
  /** Requests that did not answer 200 (each printed, up to 5). */
  failures = 0;
  readonly results: KindResult[] = [];

  constructor(
    private readonly target: ServiceTarget,
    private readonly options: { requests: number; clients: number; log: (line: string) => void },
  ) {}

  /** GET `url` with the token; a page `{items, nextCursor}` or any JSON (items 0). */
  async get(url: string, token: string): Promise<Answer> {
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      text = await res.text();
    } catch (error) {
      this.failures++;
      if (this.failures <= 5)
        this.options.log(`  ${url}: ${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`);
      if (this.failures >= 50)
        throw new Error('50 requests failed to connect: is the service still running? (tmp/bench/)');
      return { ms: performance.now() - started, items: 0, nextCursor: null };
    }
    const ms = performance.now() - started;
    if (res.status !== 200) {
      this.failures++;
      if (this.failures <= 5) this.options.log(`  ${url}: ${res.status} ${text.slice(0, 200)}`);
      return { ms, items: 0, nextCursor: null };
    }
    const body = JSON.parse(text) as { items?: unknown[]; nextCursor?: string | null };
    return { ms, items: body.items?.length ?? 0, nextCursor: body.nextCursor ?? null };
  }

  /**
   * Warm-up: 20 calls of each kind (connections, plans, caches), each kind from `seed`; its failures are reported
   * (`warm-up: N of M <what> failed`), not counted in what follows.
   */
  async warmUp(kinds: readonly ((random: () => number) => Promise<Answer>)[], seed: number, what = 'searches'): Promise<void> {
    for (const call of kinds) {
      const random = seededRandom(seed);
      for (let i = 0; i < 20; i++) await call(random);
    }
    if (this.failures > 0) this.options.log(`warm-up: ${this.failures} of ${kinds.length * 20} ${what} failed (not counted below)`);
    this.failures = 0;
  }

  /** The closing line (the load after, the non-200 answers); any non-200 answer makes the benchmark exit 1. */
  finish(): void {
    this.options.log(`\nload after: ${loadAverage()}; non-200 answers: ${this.failures}`);
    if (this.failures > 0) process.exitCode = 1;
  }

  /** Times `requests` calls of `next` (closed loop, `clients` at once) and prints the kind's line. */
  async measure(
    name: string,
    next: (random: () => number) => Promise<Answer>,
    seed: number,
  ): Promise<KindResult> {
    const { requests, clients } = this.options;
    const histogram = new Histogram();
    let items = 0;
    let issued = 0;
    const random = seededRandom(seed);
    const pid = this.target.pid;
    const cpuBefore = pid ? cpuSeconds(pid) : Number.NaN;
    const busyBefore = machineBusySeconds();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (issued < requests) {
          issued++;
          const r = await next(random);
          histogram.record(r.ms);
          items += r.items;
        }
      }),
    );
    const wall = (performance.now() - started) / 1000;
    const row: KindResult = {
      kind: name,
      p50: histogram.quantile(0.5),
      p95: histogram.quantile(0.95),
      p99: histogram.quantile(0.99),
      max: histogram.max,
      n: histogram.count,
      meanItems: items / histogram.count,
      serviceCpuMs: (((pid ? cpuSeconds(pid) : Number.NaN) - cpuBefore) * 1000) / histogram.count,
      machineCores: (machineBusySeconds() - busyBefore) / wall,
    };
    this.results.push(row);
    this.options.log(
      `${name.padEnd(44)} p50 ${row.p50.toFixed(1).padStart(6)}  p95 ${row.p95.toFixed(1).padStart(6)}  p99 ${row.p99.toFixed(1).padStart(6)}  max ${row.max.toFixed(1).padStart(6)} ms  ` +
        `(n=${row.n}, ${row.meanItems.toFixed(0)} rows per page; service CPU ${row.serviceCpuMs.toFixed(1)} ms per request; machine busy ${row.machineCores.toFixed(2)} cores)`,
    );
    return row;
  }
}

/** Runs `work` on a connection to `databaseUrl`, closed after it (for the counts, VACUUM and EXPLAIN of a benchmark). */
export async function withDatabase<T>(databaseUrl: string, work: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    return await work(pg);
  } finally {
    await pg.end();
  }
}

/**
 * Prints EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) of each `[label, query]` as `-- label` and the plan; `before` gives a
 * statement to run first (e.g. a SET), `line` rewrites each plan line (e.g. an inlined SQL function shortened back).
 */
export async function printPlans(
  pg: Client,
  plans: readonly (readonly [string, string])[],
  log: (line: string) => void,
  options: { before?: (label: string) => string; line?: (text: string) => string } = {},
): Promise<void> {
  for (const [label, query] of plans) {
    if (options.before) await pg.query(options.before(label));
    const plan = (await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query}`)).rows.map((r) =>
      options.line ? options.line(r['QUERY PLAN']) : r['QUERY PLAN'],
    );
    log(`\n-- ${label}\n${plan.join('\n')}`);
  }
}
