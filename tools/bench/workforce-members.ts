/**
 * The workforce member list at the issue's size (issue 13: "plan for 100,000 workforce members"), against the built
 * service: 100,000 members loaded through the bulk path, then the list's main queries timed, and their plans.
 *
 *   NX_DAEMON=false npx nx run workforce:build --outputStyle=static
 *   npx tsx tools/bench/workforce-members.ts --spawn [--count 100000] [--seed 2024] [--requests 300] [--clients 4] \
 *     [--batch 1000] [--concurrency 2] | tee docs/bench/workforce-members-<date>.txt
 *   npx tsx tools/bench/workforce-members.ts --url http://127.0.0.1:3004 --database-url postgres://... --no-load
 *     (a service already loaded by this tool with the same --count and --seed: the names searched for come from the
 *     same generator)
 *
 * 1. Load (--spawn: a fresh service from dist/ with its own database, tools/bench/accreditation-service.ts): the demo
 *    schedule's venues (apps/schedules/data/demo-og2024.json) PUT with their time zones, then --count members, seeded:
 *    70% volunteers (with a volunteer id and their available dates, functional areas of the Games' volunteer roles),
 *    25% staff of the organising committee, 5% contractors (security, catering, cleaning); names, dates of birth,
 *    nationalities, skills and languages from the volunteers' generator (tools/bench/volunteers-load.ts); home venues
 *    spread over the demo's venues (Teahupo'o smaller). Sent as workforce-manager in requests of --batch rows (POST
 *    /v1/editions/{e}/members/bulk, at most 1,000), --concurrency in flight, with a progress bar and rows/s; a refused
 *    row makes the benchmark exit 1. Then VACUUM (ANALYZE) member (what autovacuum does after a bulk load: statistics
 *    and the visibility map).
 * 2. Searches (GET /v1/editions/{e}/members, a page of 100, as workforce-supervisor), each --requests times by
 *    --clients concurrent clients, closed loop (tools/bench/search-runner.ts): every member in name order; by type (a
 *    common and a rare one); home venue + functional area; skill; language; name prefix (2-4 letters of a loaded family
 *    name); type + skill + language; the next page (cursor) of any of these; a page deep in the list (the cursor of the
 *    50,000th member). p50/p95/p99 from send to the whole body, the service's CPU per request.
 * 3. With a database (spawned, or --database-url): EXPLAIN (ANALYZE, BUFFERS) of one query per kind, spelled as
 *    memberListSql (apps/workforce/src/members/members.service.ts) spells it (a tool may not import an app's code; the
 *    integration spec members.integration-spec.ts pins the same shapes to their indexes).
 *
 * The first line says when, the machine's load, the build and the command (the machine is shared: read the figures
 * with the load). docs/workforce-api.md#members-at-100000 reads this output.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { apiClient, ok } from '@podium/api-clients';
import { seededRandom } from '@podium/random';

import { type BulkLoadResult, NETWORK_RETRIES, postInBatches } from './bulk-load';
import { type ServiceTarget, argValue, numberOption, serviceTarget } from './accreditation-service';
import { benchMain, gitInfo, loadAverage } from './proc';
import { type Answer, printPlans, SearchRunner, withDatabase } from './search-runner';
import { generateVolunteers } from './volunteers-load';
import { memberOfPerson, type PersonMemberFields } from './workforce-load';

const ROOT = resolve(__dirname, '../..');
const SMALL_VENUES = new Set(['TEA']);

/** Who the members are: type, organisation, functional area, role, share of the count, a skill the role needs. */
const GROUPS: readonly {
  type: 'volunteer' | 'staff' | 'contractor';
  organisation: string;
  area: string;
  role: string;
  share: number;
  skill?: string;
}[] = [
  { type: 'volunteer', organisation: 'PARIS2024', area: 'SPS', role: 'Spectator services', share: 0.25 },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'SPT', role: 'Sport operations', share: 0.1 },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'TRA', role: 'Driver', share: 0.08, skill: 'driving-minibus' },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'MED', role: 'First aider', share: 0.05, skill: 'first-aid' },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'PRS', role: 'Press operations', share: 0.05 },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'ACR', role: 'Accreditation desk', share: 0.04 },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'LAN', role: 'Language services', share: 0.04, skill: 'interpreting' },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'VEN', role: 'Venue operations', share: 0.05 },
  { type: 'volunteer', organisation: 'PARIS2024', area: 'TEC', role: 'Technology support', share: 0.04, skill: 'it-support' },
  { type: 'staff', organisation: 'PARIS2024', area: 'VEN', role: 'Venue manager', share: 0.05 },
  { type: 'staff', organisation: 'PARIS2024', area: 'SPS', role: 'Spectator services lead', share: 0.06 },
  { type: 'staff', organisation: 'PARIS2024', area: 'SPT', role: 'Sport manager', share: 0.04 },
  { type: 'staff', organisation: 'PARIS2024', area: 'MED', role: 'Doctor', share: 0.03, skill: 'first-aid' },
  { type: 'staff', organisation: 'PARIS2024', area: 'TEC', role: 'Results technician', share: 0.04, skill: 'it-support' },
  { type: 'staff', organisation: 'PARIS2024', area: 'TRA', role: 'Transport coordinator', share: 0.03 },
  { type: 'contractor', organisation: 'SECURIPRO', area: 'SEC', role: 'Security steward', share: 0.025, skill: 'security' },
  { type: 'contractor', organisation: 'GOURMETS', area: 'CAT', role: 'Catering crew', share: 0.015 },
  { type: 'contractor', organisation: 'PROPRETE', area: 'CLN', role: 'Cleaning crew', share: 0.01 },
];
const AREAS = [...new Set(GROUPS.map((g) => g.area))];
const SKILLS = ['first-aid', 'sign-language', 'photography', 'driving-minibus', 'it-support', 'event-management', 'sport-officiating', 'interpreting', 'customer-service', 'security'];
const LANGUAGES = ['fr', 'en', 'es', 'de', 'it', 'pt', 'ar', 'zh', 'ja', 'ru', 'nl', 'pl'];

type MemberRow = PersonMemberFields & { type: string; volunteerId?: string; availableDates: string[] };

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

/** A version 4 UUID from the seeded random numbers (the volunteers' ids: deterministic for the same seed). */
function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The local dates of inclusive ranges (YYYY-MM-DD), sorted. */
function datesOf(ranges: readonly { from: string; to: string }[]): string[] {
  const days = new Set<string>();
  for (const { from, to } of ranges)
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
      days.add(new Date(t).toISOString().slice(0, 10));
  return [...days].sort();
}

/** `count` members, deterministic from `seed`, in the groups' shares (people from the volunteers' generator). */
export function generateMembers(count: number, seed: number, venues: readonly string[]): MemberRow[] {
  const people = generateVolunteers(count, seed);
  const random = seededRandom(seed + 13);
  const homeVenues = venues.flatMap((v) => (SMALL_VENUES.has(v) ? [v] : [v, v, v, v, v, v]));
  const total = GROUPS.reduce((t, g) => t + g.share, 0);
  const rows: MemberRow[] = [];
  GROUPS.forEach((group, g) => {
    const n = g === GROUPS.length - 1 ? count - rows.length : Math.round((group.share / total) * count);
    for (const p of people.slice(rows.length, rows.length + n)) {
      const volunteer = group.type === 'volunteer';
      rows.push({
        type: group.type,
        ...(volunteer ? { volunteerId: uuid(random) } : {}),
        ...memberOfPerson(p, group, { homeVenue: pick(random, homeVenues), skills: group.skill ? [group.skill] : [], mayAddEnglish: !volunteer }, random),
        availableDates: volunteer ? datesOf(p.availability) : [],
      });
    }
  });
  return rows;
}

/** The workforce API as workforce-manager (the loader's calls). */
function managerClient(target: ServiceTarget) {
  const token = target.token(['workforce-manager'], { sub: 'members-loader' });
  return apiClient('workforce', { baseUrl: target.url, token, networkRetries: NETWORK_RETRIES, conflictRetries: 0 });
}

function loadMembers(target: ServiceTarget, rows: readonly MemberRow[], options: { edition: string; batch: number; concurrency: number }): Promise<BulkLoadResult> {
  const manager = managerClient(target);
  return postInBatches(rows, options, async (batch) => {
    const report = await ok(manager.POST('/v1/editions/{edition}/members/bulk', { params: { path: { edition: options.edition } }, body: { members: batch } }));
    return { ...report, accepted: report.created };
  });
}

interface Kind {
  name: string;
  query(random: () => number): string;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const count = numberOption(argv, 'count', 100_000);
  const seed = numberOption(argv, 'seed', 2024);
  const edition = argValue(argv, 'edition') ?? 'OG2024';
  const batch = Math.min(1_000, numberOption(argv, 'batch', 1_000));
  const concurrency = numberOption(argv, 'concurrency', 2);
  const requests = numberOption(argv, 'requests', 300);
  const clients = numberOption(argv, 'clients', 4);
  const git = gitInfo(['apps/workforce', 'libs']);
  const log = (line: string): void => console.log(line);
  log(
    `== ${new Date().toISOString()} load ${loadAverage()}; build of ${git.commit?.slice(0, 7) ?? 'unknown'}${git.dirty ? ' (apps/workforce or libs modified since)' : ''}; ` +
      `npx tsx tools/bench/workforce-members.ts ${argv.join(' ')}`.trimEnd(),
  );
  log(
    `options: ${count.toLocaleString('en')} members, seed ${seed}, batches of ${batch} (${concurrency} in flight), ${requests} requests per kind by ${clients} clients; ` +
      `Node ${process.version}; BENCH_DIST=${process.env['BENCH_DIST'] ?? '(dist/)'}`,
  );
  const schedule = JSON.parse(readFileSync(resolve(ROOT, 'apps/schedules/data/demo-og2024.json'), 'utf8')) as { venues: { code: string; name: string; timeZone: string }[] };
  const venues = schedule.venues.map((v) => v.code);
  const generatedAt = Date.now();
  const rows = generateMembers(count, seed, venues);
  const types = new Map<string, number>();
  for (const r of rows) types.set(r.type, (types.get(r.type) ?? 0) + 1);
  log(
    `generated ${rows.length.toLocaleString('en')} members in ${((Date.now() - generatedAt) / 1000).toFixed(1)} s: ` +
      `${[...types].map(([t, n]) => `${n.toLocaleString('en')} ${t}s`).join(', ')}; ${venues.length} venues (${venues.join(', ')}), ${AREAS.length} functional areas`,
  );

  const target = await serviceTarget('workforce', argv, log);
  try {
    const databaseUrl = target.databaseUrl ?? argValue(argv, 'database-url');
    if (!argv.includes('--no-load')) {
      const manager = managerClient(target);
      for (const v of schedule.venues) {
        await ok(manager.PUT('/v1/editions/{edition}/venues/{code}', { params: { path: { edition, code: v.code } }, body: { name: v.name, timeZone: v.timeZone } }));
      }
      const loaded = await loadMembers(target, rows, { edition, batch, concurrency });
      log(
        `loaded ${loaded.accepted.toLocaleString('en')} of ${rows.length.toLocaleString('en')} members (${loaded.refused} refused) through the bulk path in ${loaded.seconds.toFixed(1)} s: ` +
          `${Math.round(loaded.accepted / loaded.seconds).toLocaleString('en')} rows/s (${loaded.requests} requests of up to ${batch}, ${concurrency} in flight); load ${loadAverage()}`,
      );
      if (loaded.refused > 0) throw new Error(`${loaded.refused} rows refused: ${loaded.firstRefusals.join('; ')}`);
      if (databaseUrl) {
        await withDatabase(databaseUrl, async (pg) => {
          const started = Date.now();
          await pg.query('VACUUM (ANALYZE) member');
          log(`VACUUM (ANALYZE) member: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        });
      }
    }

    /** 2 to 4 letters of a loaded family name, lowercase, as a supervisor types them. */
    const prefix = (random: () => number): string => {
      const name = pick(random, rows).familyName.toLowerCase();
      return name.slice(0, Math.min(name.length, 2 + Math.floor(random() * 3)));
    };
    const kinds: Kind[] = [
      { name: 'all, name order', query: () => '' },
      { name: 'type (volunteer 70% / contractor 5%)', query: (r) => `type=${r() < 0.5 ? 'volunteer' : 'contractor'}` },
      { name: 'home venue + functional area', query: (r) => `venue=${pick(r, venues)}&functionalArea=${pick(r, AREAS)}` },
      { name: 'skill (any of 10)', query: (r) => `skill=${pick(r, SKILLS)}` },
      { name: 'language (any of 12)', query: (r) => `language=${pick(r, LANGUAGES)}` },
      { name: 'name prefix (2-4 letters)', query: (r) => `name=${encodeURIComponent(prefix(r))}` },
      { name: 'type + skill + language', query: (r) => `type=${pick(r, ['volunteer', 'staff'])}&skill=${pick(r, SKILLS.slice(0, 5))}&language=${pick(r, LANGUAGES.slice(0, 4))}` },
    ];
    const supervisor = target.token(['workforce-supervisor'], { sub: 'members-bench' });
    const base = `${target.url}/v1/editions/${edition}/members`;
    const runner = new SearchRunner(target, { requests, clients, log });
    const list = (query: string, cursor?: string): Promise<Answer> =>
      runner.get(`${base}?${query}${query ? '&' : ''}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, supervisor);

    // Warm-up: a pass of every kind (connections, plans, caches); its failures are reported, not counted.
    await runner.warmUp(
      kinds.map((kind) => (random) => list(kind.query(random))),
      seed + 7,
      'requests',
    );
    // The cursor of the 50,000th member in name order (500 pages of 100), for the deep page.
    let deepCursor: string | null = null;
    let deepFamily = '';
    {
      const members = apiClient('workforce', { baseUrl: target.url, token: supervisor });
      let cursor: string | undefined;
      for (let page = 0; page < Math.min(500, Math.floor(count / 200)); page++) {
        const body = await ok(members.GET('/v1/editions/{edition}/members', { params: { path: { edition }, query: { limit: 100, cursor } } }));
        deepFamily = body.items[body.items.length - 1]?.familyName ?? '';
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      deepCursor = cursor ?? null;
    }

    log(`\nlists (limit=100), ${clients} concurrent clients, ms from send to the whole body; load ${loadAverage()}:`);
    for (const [i, kind] of kinds.entries()) await runner.measure(kind.name, (random) => list(kind.query(random)), seed + i);
    await runner.measure(
      'next page (cursor) of any of these',
      async (random) => {
        const query = pick(random, kinds).query(random);
        const first = await list(query);
        return first.nextCursor === null ? list(query) : list(query, first.nextCursor);
      },
      seed + 99,
    );
    if (deepCursor) await runner.measure(`a page deep in the list (after '${deepFamily}')`, () => list('', deepCursor ?? undefined), seed + 100);

    if (databaseUrl) {
      await withDatabase(databaseUrl, async (pg) => {
        const stats = (
          await pg.query<{ n: string; t: string; i: string }>(
            "SELECT (SELECT count(*) FROM member WHERE edition = $1) AS n, pg_size_pretty(pg_table_size('member')) AS t, pg_size_pretty(pg_indexes_size('member')) AS i",
            [edition],
          )
        ).rows[0];
        const indexes = (
          await pg.query<{ name: string; size: string }>(
            "SELECT indexrelname AS name, pg_size_pretty(pg_relation_size(indexrelid)) AS size FROM pg_stat_user_indexes WHERE relname = 'member' ORDER BY indexrelname",
          )
        ).rows;
        log(
          `\n${Number(stats?.n).toLocaleString('en')} members in the database (table ${stats?.t}, its indexes ${stats?.i}: ${indexes.map((x) => `${x.name} ${x.size}`).join(', ')})`,
        );
        log('plans (EXPLAIN ANALYZE, BUFFERS) of one query per kind, as memberListSql spells them (a page of 100: LIMIT 101):');
        const deep = (
          await pg.query<{ f: string; g: string; id: string }>(
            'SELECT family_name AS f, given_name AS g, id::text AS id FROM member WHERE edition = $1 ORDER BY family_name, given_name, id OFFSET 50000 LIMIT 1',
            [edition],
          )
        ).rows[0];
        const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
        const q = (where: string[], name?: string): string => {
          const conditions = [`m.edition = ${lit(edition)}`, ...where, ...(name ? [`lower(m.family_name) LIKE ${lit(`${name}%`)}`] : [])].join(' AND ');
          return name
            ? `WITH hits AS MATERIALIZED (SELECT m.id, m.family_name, m.given_name FROM member m WHERE ${conditions}) SELECT h.id::text AS id FROM hits h ORDER BY h.family_name, h.given_name, h.id LIMIT 101`
            : `SELECT m.id::text AS id FROM member m WHERE ${conditions} ORDER BY m.family_name, m.given_name, m.id LIMIT 101`;
        };
        const common = async (n: number) =>
          (
            await pg.query<{ p: string }>(
              'SELECT lower(left(family_name, $2)) AS p FROM member WHERE edition = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
              [edition, n],
            )
          ).rows[0]?.p ?? 'ma';
        const rare = (
          await pg.query<{ p: string }>(
            "SELECT lower(left(family_name, 3)) AS p FROM member WHERE edition = $1 AND family_name ~ '^[A-Za-z]{3}' GROUP BY 1 HAVING count(*) BETWEEN 5 AND 20 ORDER BY 1 DESC LIMIT 1",
            [edition],
          )
        ).rows[0]?.p ?? 'zy';
        const plans: [string, string][] = [
          ['all, name order', q([])],
          ['type volunteer (70%)', q(["m.type = 'volunteer'"])],
          ['type contractor (5%)', q(["m.type = 'contractor'"])],
          ['home venue STA + functional area MED', q(["m.home_venue = 'STA'", "m.functional_area = 'MED'"])],
          ['home venue TEA + functional area CLN (the rarest)', q(["m.home_venue = 'TEA'", "m.functional_area = 'CLN'"])],
          ['skill customer-service (25%)', q(["m.skills @> ARRAY['customer-service']::text[]"])],
          ['skill sign-language (2%)', q(["m.skills @> ARRAY['sign-language']::text[]"])],
          ['language en', q(["m.languages @> ARRAY['en']::text[]"])],
          ['language ja (1.5%)', q(["m.languages @> ARRAY['ja']::text[]"])],
          [`name prefix '${await common(2)}' (the commonest 2 letters)`, q([], await common(2))],
          [`name prefix '${await common(3)}' (the commonest 3 letters)`, q([], await common(3))],
          [`name prefix '${rare}' (a rare one, late in the order)`, q([], rare)],
          ['type staff + skill first-aid + language en', q(["m.type = 'staff'", "m.skills @> ARRAY['first-aid']::text[]", "m.languages @> ARRAY['en']::text[]"])],
          [
            'a page deep in the list (after the 50,000th)',
            q(deep ? [`(m.family_name, m.given_name, m.id) > (${lit(deep.f)}, ${lit(deep.g)}, ${lit(deep.id)}::uuid)`] : []),
          ],
          [
            'type volunteer, deep (after the 50,000th)',
            q(["m.type = 'volunteer'", ...(deep ? [`(m.family_name, m.given_name, m.id) > (${lit(deep.f)}, ${lit(deep.g)}, ${lit(deep.id)}::uuid)`] : [])]),
          ],
        ];
        await printPlans(pg, plans, log);
      });
    }
    runner.finish();
  } finally {
    await target.stop();
  }
}

benchMain(main);
