/**
 * The recruiter searches of volunteer applications (GET /v1/editions/{e}/applications) and the funnel at the Games'
 * size (issue 12: 266,000 applications; each search p95 <= 100 ms, the funnel <= 200 ms), against the built service.
 *
 *   NX_DAEMON=false npx nx run volunteers:build --outputStyle=static
 *   npx tsx tools/bench/volunteers-search.ts --spawn [--count 266000] [--requests 300] [--clients 4] | tee docs/bench/volunteers-search-<date>.txt
 *   npx tsx tools/bench/volunteers-search.ts --url http://127.0.0.1:3005 --database-url postgres://... [--count ...]   (already loaded)
 *
 * With --spawn, a fresh service is started from dist/ (tools/bench/accreditation-service.ts serviceTarget) and loaded
 * first with tools/volunteers/load.ts (the bulk path with its progress bar and rows/s; then the stages and the dates of
 * creation spread by SQL, then VACUUM: see that file). With --url, the service is assumed loaded by that
 * tool with the same --count and --seed (the names searched for are taken from the same generator).
 *
 * Kinds (each --requests times, by --clients concurrent clients, closed loop, a page of 100): every application in
 * creation order; stage (a common and a rare one); language; language with a minimum level; skill; available on a date;
 * field of activity; name (2-4 letters of a loaded family or given name, lowercase without accents, as recruiters type);
 * two name words; stage + language + date + field together; the name order within a stage; newest first with a skill; the
 * next page (the cursor of a first page of any of these); the funnel (GET /v1/editions/{e}/funnel, counts per stage).
 * A request that does not answer 200 is counted and makes the benchmark exit 1. With a database (spawned, or
 * --database-url) it prints EXPLAIN (ANALYZE, BUFFERS) of one query per kind, spelled as
 * apps/volunteers/src/search/search.repository.ts spells it, and the funnel's GROUP BY.
 */
import { cpus } from 'node:os';

import {
  type VolunteerRow,
  generateVolunteers,
  loadOptions,
  loadVolunteers,
  spreadStages,
} from './volunteers-load';
import { type ServiceTarget, argValue, numberOption, serviceTarget } from './accreditation-service';
import { benchMain, gitInfo, loadAverage } from './proc';
import { type Answer, printPlans, SearchRunner, withDatabase } from './search-runner';

const fold = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const LANGUAGES = ['fr', 'en', 'es', 'de', 'it', 'pt', 'ar', 'ja'];
const SKILLS = [
  'first-aid',
  'sign-language',
  'photography',
  'driving-minibus',
  'it-support',
  'event-management',
  'sport-officiating',
  'interpreting',
  'customer-service',
  'security',
];
const FIELDS = [
  'spectator-services',
  'sport',
  'medical',
  'press',
  'transport',
  'accreditation',
  'venue-operations',
  'technology',
  'ceremonies',
  'protocol',
  'village',
  'logistics',
];
const LEVELS = ['A2', 'B1', 'B2', 'C1', 'C2', 'native'];

interface Kind {
  name: string;
  query(random: () => number): string;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const games = (random: () => number): string =>
  new Date(Date.UTC(2024, 6, 13) + Math.floor(random() * 58) * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = loadOptions(argv);
  const requests = numberOption(argv, 'requests', 300);
  const clients = numberOption(argv, 'clients', 4);
  const git = gitInfo(['apps/volunteers', 'libs']);
  const commit = git.commit?.slice(0, 7) ?? 'unknown';
  const log = (line: string): void => console.log(line);
  log(
    `volunteers searches: ${new Date().toISOString()}, commit ${commit}${git.dirty ? ' (apps/volunteers or libs dirty: uncommitted changes)' : ''}, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadAverage()}`,
  );
  log(
    `options: ${options.count.toLocaleString('en')} applications, seed ${options.seed}, ${requests} requests per kind by ${clients} clients; BENCH_DIST=${process.env['BENCH_DIST'] ?? '(dist/)'}`,
  );
  const target: ServiceTarget = await serviceTarget('volunteers', argv, log);
  try {
    const databaseUrl = target.databaseUrl ?? argValue(argv, 'database-url');
    if (argv.includes('--spawn')) {
      const loaded = await loadVolunteers(target, options, log);
      log(
        `loaded ${loaded.accepted.toLocaleString('en')} of ${loaded.rows.toLocaleString('en')} applications (${loaded.refused} refused) through the bulk path in ${loaded.seconds.toFixed(1)} s: ` +
          `${Math.round(loaded.accepted / loaded.seconds).toLocaleString('en')} rows/s (${loaded.requests} requests of up to ${options.batch}, ${options.concurrency} in flight); load ${loadAverage()}`,
      );
      if (loaded.refused > 0)
        throw new Error(`${loaded.refused} rows refused: ${loaded.firstRefusals.join('; ')}`);
      await spreadStages(databaseUrl!, options.edition, log);
    }
    const rows: VolunteerRow[] = generateVolunteers(options.count, options.seed);
    /** 2 to 4 letters of a loaded family or given name, as recruiters type them. */
    const prefix = (random: () => number, row = pick(random, rows), family = random() < 0.5): string => {
      const name = fold(family ? row.familyName : row.givenName);
      return name.slice(0, Math.max(2, Math.min(2 + Math.floor(random() * 3), name.length))) || 'ma';
    };
    const kinds: Kind[] = [
      { name: 'all, creation order', query: () => '' },
      {
        name: 'stage (applied: 34% / lapsed: 0.5%)',
        query: (r) => `stage=${r() < 0.5 ? 'applied' : 'lapsed'}`,
      },
      {
        name: 'stage (any of the 12)',
        query: (r) =>
          `stage=${pick(r, ['applied', 'screened', 'interview-booked', 'interviewed', 'trained', 'offered', 'accepted', 'declined', 'lapsed', 'confirmed', 'rejected', 'withdrawn'])}`,
      },
      { name: 'language', query: (r) => `language=${pick(r, LANGUAGES)}` },
      {
        name: 'language + minimum level',
        query: (r) => `language=${pick(r, LANGUAGES)}&minLevel=${pick(r, LEVELS)}`,
      },
      { name: 'skill', query: (r) => `skill=${pick(r, SKILLS)}` },
      { name: 'available on a date', query: (r) => `availableOn=${games(r)}` },
      { name: 'field of activity', query: (r) => `field=${pick(r, FIELDS)}` },
      { name: 'name (2-4 letters)', query: (r) => `q=${encodeURIComponent(prefix(r))}` },
      {
        name: 'name, two words (family + given)',
        query: (r) => {
          const row = pick(r, rows);
          return `q=${encodeURIComponent(`${prefix(r, row, true)} ${prefix(r, row, false)}`)}`;
        },
      },
      {
        name: 'stage + language + date + field',
        query: (r) =>
          `stage=${pick(r, ['applied', 'screened', 'confirmed'])}&language=${pick(r, LANGUAGES.slice(0, 4))}&availableOn=${games(r)}&field=${pick(r, FIELDS)}`,
      },
      {
        name: 'name order, within a stage',
        query: (r) => `sort=name&stage=${pick(r, ['applied', 'screened', 'interviewed', 'confirmed'])}`,
      },
      { name: 'newest first, with a skill', query: (r) => `sort=-createdAt&skill=${pick(r, SKILLS)}` },
    ];
    const recruiter = target.token(['volunteer-recruiter'], { sub: 'search-bench' });
    const base = `${target.url}/v1/editions/${options.edition}/applications`;
    const runner = new SearchRunner(target, { requests, clients, log });
    const search = (query: string, cursor?: string): Promise<Answer> =>
      runner.get(
        `${base}?${query}${query ? '&' : ''}limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        recruiter,
      );

    // Warm-up: a pass of every kind (connections, plans, caches); its failures are reported, not counted.
    await runner.warmUp(
      kinds.map((kind) => (random) => search(kind.query(random))),
      options.seed + 7,
    );

    log(
      `\nsearches (limit=100), ${clients} concurrent clients, ms from send to the whole body; load ${loadAverage()}:`,
    );
    for (const [i, kind] of kinds.entries())
      await runner.measure(kind.name, (random) => search(kind.query(random)), options.seed + i);
    await runner.measure(
      'next page (cursor) of any of these',
      async (random) => {
        const query = pick(random, kinds).query(random);
        const first = await search(query);
        return first.nextCursor === null ? search(query) : search(query, first.nextCursor);
      },
      options.seed + 99,
    );
    const funnelUrl = `${target.url}/v1/editions/${options.edition}/funnel`;
    const funnel = await fetch(funnelUrl, { headers: { authorization: `Bearer ${recruiter}` } });
    if (funnel.status === 200) {
      log(`funnel: ${(await funnel.text()).slice(0, 400)}`);
      await runner.measure(
        'funnel (GET .../funnel, counts per stage)',
        () => runner.get(funnelUrl, recruiter),
        options.seed + 100,
      );
    } else {
      log(`GET ${funnelUrl} answered ${funnel.status}: the funnel is timed as its GROUP BY below only`);
    }

    if (databaseUrl) {
      await withDatabase(databaseUrl, async (pg) => {
        const count = (
          await pg.query<{ n: string }>('SELECT count(*) AS n FROM application WHERE edition = $1', [
            options.edition,
          ])
        ).rows[0]?.n;
        const size = (
          await pg.query<{ t: string; i: string }>(
            "SELECT pg_size_pretty(pg_table_size('application')) AS t, pg_size_pretty(pg_indexes_size('application')) AS i",
          )
        ).rows[0];
        log(
          `\n${Number(count).toLocaleString('en')} applications in the database (table ${size?.t}, its indexes ${size?.i}); plans (EXPLAIN ANALYZE, BUFFERS) of one query per kind:`,
        );
        // The query of search.repository.ts, spelled the same way (a page of 100: LIMIT 101; the recruiter's columns).
        const columns =
          'a.id::text AS "id", a.edition, a.stage, a.family_name AS "familyName", a.given_name AS "givenName", a.languages, coalesce(a.skills, \'{}\') AS skills, ' +
          'a.driving_licence AS "drivingLicence", coalesce(a.available_dates, \'{}\') AS "availableDates", coalesce(a.fields, \'{}\') AS fields, a.tshirt_size AS "tshirtSize", a.locale, ' +
          'a.interview_slot_id::text AS "interviewSlotId", a.offer_role AS "offerRole", a.offer_area AS "offerArea", a.offer_venue AS "offerVenue", a.offer_deadline AS "offerDeadline", ' +
          'a.version, a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.erased_at AS "erasedAt"';
        const keys = (sort: string) =>
          sort === 'name'
            ? 'volunteers_name_key(a.family_name) AS "familyKey", volunteers_name_key(a.given_name) AS "givenKey"'
            : `'' AS "familyKey", '' AS "givenKey"`;
        const orders: Record<string, string> = {
          createdAt: 'a.created_at, a.id',
          '-createdAt': 'a.created_at DESC, a.id DESC',
          name: 'volunteers_name_key(a.family_name), volunteers_name_key(a.given_name), a.id',
        };
        const q = (where: string[], sort = 'createdAt'): string =>
          `SELECT ${columns}, ${keys(sort)} FROM application a WHERE ${[`a.edition = '${options.edition}'`, 'a.erased_at IS NULL', ...where].join(' AND ')} ORDER BY ${orders[sort]} LIMIT 101`;
        const name = (words: string) =>
          `volunteers_name_words(a.family_name, a.given_name) @@ to_tsquery('simple'::regconfig, volunteers_name_key('${words}'::text))`;
        const lang = (code: string, level = 'A1') =>
          level === 'A1'
            ? `a.language_codes @> ARRAY['${code}']::text[]`
            : `a.language_levels @> ARRAY['${code}:${level}']::text[]`;
        // A cursor deep in the list: the 100,000th application in creation order.
        const deep = (
          await pg.query<{ c: Date; id: string }>(
            `SELECT created_at AS c, id::text AS id FROM application WHERE edition = $1 ORDER BY created_at, id OFFSET 100000 LIMIT 1`,
            [options.edition],
          )
        ).rows[0];
        const plans: [string, string][] = [
          ['all, creation order', q([])],
          ['stage applied (34%)', q(["a.stage = 'applied'"])],
          ['stage lapsed (0.5%)', q(["a.stage = 'lapsed'"])],
          ['language fr (92%)', q([lang('fr')])],
          ['language ja (1.5%)', q([lang('ja')])],
          ['language en, at least C1', q([lang('en', 'C1')])],
          ['language de, native', q([lang('de', 'native')])],
          ['language ja, at least B2', q([lang('ja', 'B2')])],
          ['language it, at least A2', q([lang('it', 'A2')])],
          ['skill sign-language (2%)', q(["a.skills @> ARRAY['sign-language']::text[]"])],
          ['skill customer-service (25%)', q(["a.skills @> ARRAY['customer-service']::text[]"])],
          ['available on 2024-08-01', q(["a.available_dates @> ARRAY['2024-08-01']::text[]"])],
          [
            'available on 2024-07-14 (before the Games)',
            q(["a.available_dates @> ARRAY['2024-07-14']::text[]"]),
          ],
          ['field logistics (rarest)', q(["a.fields @> ARRAY['logistics']::text[]"])],
          ["name 'ma'", q([name('ma:*')])],
          ["name 'mar'", q([name('mar:*')])],
          ["name 'mart' (1.6%)", q([name('mart:*')])],
          ["name 'ch'", q([name('ch:*')])],
          ["name 'vi'", q([name('vi:*')])],
          ["name 'dub' 'ma' (two words)", q([name('dub:* & ma:*')])],
          [
            'stage screened + language en + 2024-08-01 + field sport',
            q([
              "a.stage = 'screened'",
              lang('en'),
              "a.available_dates @> ARRAY['2024-08-01']::text[]",
              "a.fields @> ARRAY['sport']::text[]",
            ]),
          ],
          [
            'stage confirmed + language de + 2024-09-01 + field medical',
            q([
              "a.stage = 'confirmed'",
              lang('de'),
              "a.available_dates @> ARRAY['2024-09-01']::text[]",
              "a.fields @> ARRAY['medical']::text[]",
            ]),
          ],
          ['name order, stage screened', q(["a.stage = 'screened'"], 'name')],
          ['newest first, skill photography', q(["a.skills @> ARRAY['photography']::text[]"], '-createdAt')],
          [
            'next page deep in the list (after the 100,000th, creation order)',
            q(
              deep
                ? [`(a.created_at, a.id) > ('${deep.c.toISOString()}'::timestamptz, '${deep.id}'::uuid)`]
                : [],
            ),
          ],
          [
            'funnel: counts per stage',
            `SELECT stage, count(*)::int AS count FROM application WHERE edition = '${options.edition}' GROUP BY stage`,
          ],
        ];
        // As the service runs them: no parallel workers for a search (search.repository.ts); the funnel's query is not
        // the search's and keeps the default (max_parallel_workers_per_gather 2).
        await printPlans(pg, plans, log, {
          before: (label) => `SET max_parallel_workers_per_gather = ${label.startsWith('funnel') ? 2 : 0}`,
          // volunteers_name_key(x) is inlined in plans as translate(lower(x), '<128 letters>', '<128 letters>'): shortened back.
          line: (text) => text.replace(/translate\(lower\(([^()]+)\), '[^']*'::text, '[^']*'::text\)/g, 'name_key($1)'),
        });
      });
    }
    runner.finish();
  } finally {
    await target.stop();
  }
}

benchMain(main);
