/**
 * The staff searches of accreditation applications (GET /v1/editions/{e}/applications) at the Games' size (issue 11:
 * 390,000 accreditations; each search p95 <= 100 ms), against the running built service.
 *
 *   npx tsx tools/bench/accreditation-search.ts --spawn [--scale 1] [--requests 300] [--clients 4]
 *   npx tsx tools/bench/accreditation-search.ts --url http://127.0.0.1:3003 --scale 1 --database-url postgres://...   (already loaded)
 *
 * With --spawn, a fresh service is started from dist/ and loaded first with tools/bench/accreditation-load.ts (the
 * bulk path, its figures printed too; --scale, --seed as there). With --url, the service is assumed loaded by that
 * tool with the same --scale and --seed (the organisations, categories and names the searches ask for are taken from
 * the same plan).
 *
 * Search kinds (each --requests times, by --clients concurrent clients, closed loop: a client sends its next search
 * as soon as the previous one answers, so no request waits to be sent; each time is from send to the whole body read):
 *   organisation, category, state (submitted: most rows; vetting, rejected: rare), name prefix (2 to 4 letters of
 *   a loaded family or given name, lowercase and without accents, as staff type), organisation + name prefix,
 *   category + state, the next page (a cursor from a first page of a random filter), and an organisation officer's own
 *   list with a name prefix (scope). Every search asks for one page of 100 (limit=100). A request that does not answer 200 is counted
 *   and makes the benchmark exit 1. Prints p50/p95/p99/max per kind, the mean rows per page, and with a database URL
 *   (spawned, or --database-url) EXPLAIN (ANALYZE, BUFFERS) of one query per kind: the query of
 *   apps/accreditation/src/applications/search.ts, spelled the same way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { loadAccreditations, loadOptions, loadPlan, generateRows, moveSome } from './accreditation-load';
import {
  type AccreditationTarget,
  accreditationTarget,
  argValue,
  numberOption,
} from './accreditation-service';
import { type Answer, printPlans, SearchRunner, withDatabase } from './search-runner';
import { benchMain, gitInfo, loadAverage } from './proc';

const ROOT = resolve(__dirname, '../..');


const fold = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

interface Kind {
  name: string;
  token: 'oc' | 'officer';
  /** The query string of the i-th search of this kind. */
  query(random: () => number): { query: string; noc?: string };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = loadOptions(argv);
  const requests = numberOption(argv, 'requests', 300);
  const clients = numberOption(argv, 'clients', 4);
  const git = gitInfo(['apps/accreditation', 'libs']);
  const commit = git.commit?.slice(0, 7) ?? 'unknown';
  const dirty = git.dirty === true;
  console.log(
    `accreditation searches: ${new Date().toISOString()}, commit ${commit}${dirty ? ' (apps/accreditation or libs dirty)' : ''}, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadAverage()}`,
  );
  console.log(
    `options: scale ${options.scale} (${Math.round(390_000 * options.scale).toLocaleString('en')} applications), seed ${options.seed}, ${requests} searches per kind by ${clients} clients; BENCH_DIST=${process.env['BENCH_DIST'] ?? '(dist/)'}`,
  );
  const log = (line: string): void => console.log(line);
  const target: AccreditationTarget = await accreditationTarget(argv, log);
  try {
    if (argv.includes('--spawn')) {
      const loaded = await loadAccreditations(target, options, log);
      console.log(
        `loaded ${loaded.accepted.toLocaleString('en')} of ${loaded.rows.toLocaleString('en')} applications (${loaded.refused} refused) through the bulk path in ${loaded.seconds.toFixed(1)} s: ` +
          `${Math.round(loaded.accepted / loaded.seconds).toLocaleString('en')} rows/s (${loaded.requests} requests, ${options.concurrency} in flight)`,
      );
      if (loaded.refused > 0)
        throw new Error(`${loaded.refused} rows refused: ${loaded.firstRefusals.join('; ')}`);
      const moved = await moveSome(target, options.edition, loaded.ids, options.moves, 8);
      console.log(
        `moved ${moved.vetting + moved.rejected} to vetting, ${moved.rejected} of them on to rejected, in ${moved.seconds.toFixed(1)} s (${moved.conflicts} answers 409 serialization-conflict, retried)`,
      );
      // What autovacuum does within a minute or two of a bulk load (its insert and analyze thresholds): statistics for
      // the planner (a rare state is rare) and the visibility map (index-only scans). Done here, timed, so that the
      // searches are measured on a settled table rather than in the minute after the load.
      if (!target.databaseUrl) throw new Error('the spawned service has no database URL');
      await withDatabase(target.databaseUrl, async (pg) => {
        const started = Date.now();
        await pg.query('VACUUM (ANALYZE) application');
        console.log(`VACUUM (ANALYZE) application: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
    }
    const { cells } = loadPlan(options.scale, options.edition);
    const rows = generateRows(cells, options.seed).flat();
    const organisations = [...new Set(cells.map((c) => c.organisation))];
    const nocs = organisations.filter((o) => /^[A-Z]{3}$/.test(o));
    const officerNocs = nocs.filter((_, i) => i < 5 || i % 12 === 0).slice(0, 20);
    const categories = [...new Set(cells.map((c) => c.category))];
    const rowsOf = new Map<string, typeof rows>();
    for (const row of rows) {
      const list = rowsOf.get(row.organisation);
      if (list) list.push(row);
      else rowsOf.set(row.organisation, [row]);
    }
    /** 2 to 4 letters of a loaded family or given name (of `organisation`'s people when given), as staff type them. */
    const prefix = (random: () => number, organisation?: string): string => {
      const from = organisation ? (rowsOf.get(organisation) ?? rows) : rows;
      const row = from[Math.floor(random() * from.length)]!;
      const name = fold(random() < 0.5 ? row.familyName : row.givenName);
      const length = 2 + Math.floor(random() * 3);
      return name.slice(0, Math.max(2, Math.min(length, name.length))) || 'ma';
    };
    const pick = <T>(random: () => number, list: readonly T[]): T =>
      list[Math.floor(random() * list.length)]!;
    const e = encodeURIComponent;
    const kinds: Kind[] = [
      {
        name: 'organisation',
        token: 'oc',
        query: (r) => ({ query: `organisation=${pick(r, organisations)}` }),
      },
      { name: 'category', token: 'oc', query: (r) => ({ query: `category=${pick(r, categories)}` }) },
      {
        name: 'state (submitted/vetting/rejected)',
        token: 'oc',
        query: (r) => ({ query: `state=${pick(r, ['submitted', 'vetting', 'rejected'])}` }),
      },
      { name: 'name prefix (2-4 letters)', token: 'oc', query: (r) => ({ query: `name=${e(prefix(r))}` }) },
      {
        name: 'organisation + name prefix',
        token: 'oc',
        query: (r) => {
          const organisation = pick(r, organisations);
          return { query: `organisation=${organisation}&name=${e(prefix(r, organisation))}` };
        },
      },
      {
        name: 'category + state',
        token: 'oc',
        query: (r) => ({
          query: `category=${pick(r, categories)}&state=${pick(r, ['submitted', 'vetting', 'rejected'])}`,
        }),
      },
      {
        name: 'NOC officer, own + name prefix',
        token: 'officer',
        query: (r) => {
          const noc = pick(r, officerNocs);
          return { query: `name=${e(prefix(r, noc))}`, noc };
        },
      },
    ];
    const ocToken = target.token(['accreditation-officer'], { sub: 'search-bench' });
    // Minted before measuring (minting runs a process): 20 NOCs, the largest and a spread of the others.
    const nocTokens = new Map(
      officerNocs.map((noc) => [noc, target.token(['noc-official'], { sub: `search-bench-${noc}`, noc })]),
    );
    const nocToken = (noc: string): string => nocTokens.get(noc)!;
    const base = `${target.url}/v1/editions/${options.edition}/applications`;
    const runner = new SearchRunner(target, { requests, clients, log: (line) => console.log(line) });
    const get = (query: string, token: string) => runner.get(`${base}?${query}&limit=100`, token);
    // Warm-up: a pass of every kind (connections, plans, caches); its failures are reported, not counted.
    await runner.warmUp(
      kinds.map((kind) => (random) => {
        const q = kind.query(random);
        return get(q.query, q.noc ? nocToken(q.noc) : ocToken);
      }),
      options.seed + 7,
    );
    const results = runner.results;
    const measure = (name: string, next: (random: () => number) => Promise<Answer>, seed: number) => runner.measure(name, next, seed);
    console.log(`\nsearches (limit=100), ${clients} concurrent clients, ms from send to the whole body:`);
    for (const [i, kind] of kinds.entries()) {
      await measure(
        kind.name,
        async (random) => {
          const q = kind.query(random);
          return get(q.query, q.noc ? nocToken(q.noc) : ocToken);
        },
        options.seed + i,
      );
    }
    // The next page: a first page of a random filter (not measured), then its cursor (measured).
    await measure(
      'next page (cursor) of any of these',
      async (random) => {
        const kind = kinds[Math.floor(random() * (kinds.length - 1))]!;
        const q = kind.query(random);
        const first = await get(q.query, ocToken);
        if (first.nextCursor === null) return get(q.query, ocToken);
        return get(`${q.query}&cursor=${first.nextCursor}`, ocToken);
      },
      options.seed + 99,
    );

    const databaseUrl = target.databaseUrl ?? argValue(argv, 'database-url');
    if (databaseUrl) {
      await withDatabase(databaseUrl, async (pg) => {
        const count = (
          await pg.query<{ n: string }>('SELECT count(*) AS n FROM application WHERE edition = $1', [
            options.edition,
          ])
        ).rows[0]?.n;
        console.log(
          `\n${Number(count).toLocaleString('en')} applications in the database; plans (EXPLAIN ANALYZE, BUFFERS) of one query per kind:`,
        );
        // The query of search.ts, spelled the same way (a page of 100: LIMIT 101).
        const F = 'accreditation_name_key(a.family_name)';
        const G = 'accreditation_name_key(a.given_name)';
        const ordered = (where: string): string =>
          `SELECT a.id, ${F} AS family, ${G} AS given FROM application a WHERE a.edition = '${options.edition}' AND ${where} ORDER BY ${F}, ${G}, a.id LIMIT 101`;
        const named = (where: string, p: string): string => {
          const range = (key: string) =>
            `${key} >= accreditation_name_key('${p}') AND ${key} < (accreditation_name_key('${p}') || chr(1114111))`;
          return `SELECT id, family, given FROM ((${ordered(`${where} AND ${range(F)}`)}) UNION (${ordered(`${where} AND ${range(G)}`)})) m ORDER BY family, given, id LIMIT 101`;
        };
        const biggest = cells.reduce((a, b) => (b.count > a.count ? b : a)).organisation;
        const plans: [string, string][] = [
          ['organisation (the biggest)', ordered(`a.organisation = '${biggest}'`)],
          ['category', ordered(`a.category = 'AA'`)],
          ['state (rare)', ordered(`a.state = 'vetting'`)],
          ['state (most rows)', ordered(`a.state = 'submitted'`)],
          ["name prefix 'ma'", named('true', 'ma')],
          ["organisation (the biggest) + name prefix 'sch'", named(`a.organisation = '${biggest}'`, 'sch')],
          ['category + state (rare)', ordered(`a.category = 'VOL' AND a.state = 'rejected'`)],
        ];
        await printPlans(pg, plans, (line) => console.log(line), {
          // accreditation_name_key(x) is inlined in plans as translate(lower(x), '<128 letters>', '<128 letters>'): shortened back.
          line: (text) => text.replace(/translate\(lower\(([a-z_.]+)\), '[^']*'::text, '[^']*'::text\)/g, 'name_key($1)'),
        });
      });
    }
    runner.finish();
    mkdirSync(join(ROOT, 'tmp/bench'), { recursive: true });
    const file = join(
      ROOT,
      'tmp/bench',
      `accreditation-search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      file,
      JSON.stringify(
        { commit, dirty, options: { ...options, requests, clients }, results, failures: runner.failures },
        null,
        2,
      ),
    );
    console.log(`JSON: ${relative(ROOT, file)}`);
  } finally {
    await target.stop();
  }
}

benchMain(main);
