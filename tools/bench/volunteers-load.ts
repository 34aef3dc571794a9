/**
 * The load tool of the volunteers service (its command: tools/volunteers/load.ts; here beside accreditation-load.ts,
 * whose helpers it uses, for tools/bench/volunteers-search.ts). Loads N synthetic volunteer applications into the volunteers service through its bulk path, with a progress bar and
 * rows/s (issue 12: 266,000 applications, Tokyo 2020's 204,680 applicants + 30%).
 *
 *   npx tsx tools/volunteers/load.ts --spawn [--count 266000] [--seed 2024] --keep   (a fresh service from dist/)
 *   npx tsx tools/volunteers/load.ts [--url http://127.0.0.1:3005] --database-url postgres://.../podium_volunteers
 *
 * 1. The campaign (PUT /v1/editions/{edition}/campaign, as volunteer-manager): the demo's dates and age rule, with the
 *    options of a real call for volunteers (12 fields of activity, 10 skills, 12 languages), named in English and French.
 * 2. --count applications, deterministic from --seed (@faker-js/faker, Latin-script locales, French names first as
 *    the host's): one to four languages with levels (French nearly always, English often, others rarer), zero to
 *    three skills, one to three ranges of dates within the Games (the Olympic fortnight most often), one to three
 *    fields of activity (the popular ones more often), a T-shirt size, the portal's language. Each person once (their
 *    normalised names and date of birth differ), so that no row is refused as a duplicate.
 * 3. Sent as volunteer-manager in requests of --batch rows (POST /v1/editions/{edition}/applications/bulk, at most
 *    1,000), --concurrency in flight. Prints the rows, created/refused, the time and rows/s; exits 1 if a row was refused.
 * 4. The bulk path creates every application in stage `applied`, now. The pipeline's steps are one request per
 *    application (and the interview slots' capacity), so, to have the stages and the dates of a campaign months along,
 *    `--spread` (default on; `--no-spread` to leave them) sets them by SQL on the database (spawned, or --database-url):
 *    stages as a funnel (applied 34%, screened 18%, interview-booked 4%, interviewed 6%, trained 5%, offered 3%,
 *    accepted 2%, declined 1%, lapsed 0.5%, confirmed 15%, rejected 10%, withdrawn 1.5%) and created_at spread over
 *    the 180 days before the Games in the order of creation; then VACUUM (FULL) and VACUUM (ANALYZE), as the table of a
 *    campaign whose rows were written over months (no dead rows of this one UPDATE, statistics for the planner, the
 *    visibility map that autovacuum keeps).
 *
 * Options: --edition [OG2024] --batch [1000] --concurrency [4]; --spawn/--url/--keep as tools/bench/accreditation-service.ts.
 */
import { Faker, de, en, es, fr, it as itLocale, pl, pt_BR, sv, tr, vi } from '@faker-js/faker';
import { apiClient, ok } from '@podium/api-clients';
import { Client } from 'pg';

import { type BulkLoadResult, NETWORK_RETRIES, postInBatches } from './bulk-load';
import { type ServiceTarget, argValue, numberOption, serviceTarget } from './accreditation-service';

export const FULL_SIZE = 266_000;

const names = (en: string, fr: string) => ({ en, fr });
/** The campaign of the load: the demo's dates and rules, the options of a real call for volunteers. */
export const LOAD_CAMPAIGN = {
  bornOnOrBefore: '2006-07-26',
  hostLanguage: 'fr',
  options: {
    fields: [
      ['spectator-services', 'Spectator services', 'Services aux spectateurs'],
      ['sport', 'Sport', 'Sport'],
      ['medical', 'Medical services', 'Services médicaux'],
      ['press', 'Press operations', 'Opérations presse'],
      ['transport', 'Transport', 'Transport'],
      ['accreditation', 'Accreditation', 'Accréditation'],
      ['venue-operations', 'Venue operations', 'Opérations des sites'],
      ['technology', 'Technology', 'Technologie'],
      ['ceremonies', 'Ceremonies', 'Cérémonies'],
      ['protocol', 'Protocol and languages', 'Protocole et langues'],
      ['village', 'Village operations', 'Opérations du village'],
      ['logistics', 'Logistics', 'Logistique'],
    ].map(([code, en, fr]) => ({ code: code!, names: names(en!, fr!) })),
    skills: [
      ['first-aid', 'First aid', 'Premiers secours'],
      ['sign-language', 'Sign language', 'Langue des signes'],
      ['photography', 'Photography', 'Photographie'],
      ['driving-minibus', 'Minibus driving', 'Conduite de minibus'],
      ['it-support', 'IT support', 'Support informatique'],
      ['event-management', 'Event management', 'Gestion d’événements'],
      ['sport-officiating', 'Sport officiating', 'Arbitrage'],
      ['interpreting', 'Interpreting', 'Interprétariat'],
      ['customer-service', 'Customer service', 'Accueil du public'],
      ['security', 'Safety and security', 'Sûreté et sécurité'],
    ].map(([code, en, fr]) => ({ code: code!, names: names(en!, fr!) })),
    languages: [
      ['fr', 'French', 'Français'],
      ['en', 'English', 'Anglais'],
      ['es', 'Spanish', 'Espagnol'],
      ['de', 'German', 'Allemand'],
      ['it', 'Italian', 'Italien'],
      ['pt', 'Portuguese', 'Portugais'],
      ['ar', 'Arabic', 'Arabe'],
      ['zh', 'Chinese', 'Chinois'],
      ['ja', 'Japanese', 'Japonais'],
      ['ru', 'Russian', 'Russe'],
      ['nl', 'Dutch', 'Néerlandais'],
      ['pl', 'Polish', 'Polonais'],
    ].map(([code, en, fr]) => ({ code: code!, names: names(en!, fr!) })),
  },
  availableFrom: '2024-07-13',
  availableTo: '2024-09-08',
  privacyNotice: '2024-01',
  open: true,
};

/** Languages spoken and how often (besides French, which 92% speak); the levels' weights. */
const LANGUAGE_SHARES: [string, number][] = [
  ['en', 0.72],
  ['es', 0.24],
  ['de', 0.14],
  ['it', 0.09],
  ['pt', 0.05],
  ['ar', 0.05],
  ['zh', 0.02],
  ['ja', 0.015],
  ['ru', 0.02],
  ['nl', 0.02],
  ['pl', 0.02],
];
const LEVELS: [string, number][] = [
  ['A1', 0.08],
  ['A2', 0.14],
  ['B1', 0.26],
  ['B2', 0.26],
  ['C1', 0.14],
  ['C2', 0.06],
  ['native', 0.06],
];
const SKILL_SHARES: [string, number][] = [
  ['first-aid', 0.22],
  ['sign-language', 0.02],
  ['photography', 0.08],
  ['driving-minibus', 0.06],
  ['it-support', 0.07],
  ['event-management', 0.1],
  ['sport-officiating', 0.04],
  ['interpreting', 0.05],
  ['customer-service', 0.25],
  ['security', 0.03],
];
/** The nationalities of the 15% who are not French (IOC codes), by weight. */
const NATIONALITIES: [string, number][] = [
  ['BEL', 8],
  ['SUI', 5],
  ['CAN', 5],
  ['GBR', 6],
  ['ESP', 6],
  ['ITA', 6],
  ['GER', 6],
  ['POR', 5],
  ['MAR', 6],
  ['ALG', 6],
  ['TUN', 4],
  ['SEN', 3],
  ['CIV', 3],
  ['USA', 5],
  ['BRA', 3],
  ['POL', 3],
  ['JPN', 2],
];
/** Fields of activity by popularity (weights of a first, second, third choice). */
const FIELD_WEIGHTS: [string, number][] = [
  ['sport', 20],
  ['spectator-services', 18],
  ['ceremonies', 10],
  ['venue-operations', 9],
  ['medical', 6],
  ['press', 7],
  ['transport', 6],
  ['accreditation', 5],
  ['technology', 5],
  ['protocol', 5],
  ['village', 6],
  ['logistics', 3],
];

export interface VolunteerRow {
  familyName: string;
  givenName: string;
  email: string;
  phone?: string;
  dateOfBirth: string;
  nationality: string;
  languages: { code: string; level: string }[];
  skills: string[];
  drivingLicence: boolean;
  availability: { from: string; to: string }[];
  fields: string[];
  tshirtSize: string;
  consent: true;
  locale: string;
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const day = (offset: number) =>
  new Date(Date.UTC(2024, 6, 13) + offset * 86_400_000).toISOString().slice(0, 10);

/** `count` applications, deterministic from `seed`, each person once. */
export function generateVolunteers(count: number, seed: number): VolunteerRow[] {
  // French names for about half (the host's), then other Latin-script locales.
  const locales = [fr, fr, fr, fr, fr, en, de, es, itLocale, pl, pt_BR, sv, tr, vi].map((locale, i) => {
    const f = new Faker({ locale: [locale, en] });
    f.seed(seed * 100 + i);
    return f;
  });
  const pick = new Faker({ locale: en });
  pick.seed(seed);
  const r = () => pick.number.float({ min: 0, max: 1 });
  const weighted = (list: readonly [string, number][]): string => {
    const total = list.reduce((s, [, w]) => s + w, 0);
    let x = r() * total;
    for (const [v, w] of list) if ((x -= w) < 0) return v;
    return list[list.length - 1]![0];
  };
  const seen = new Set<string>();
  const rows: VolunteerRow[] = [];
  while (rows.length < count) {
    const f = locales[pick.number.int({ min: 0, max: locales.length - 1 })]!;
    const sex = r() < 0.55 ? 'female' : 'male';
    const familyName = f.person.lastName(sex);
    const givenName = f.person.firstName(sex);
    // Ages 18 to 80, more of them young or retired.
    const year =
      r() < 0.45 ? pick.number.int({ min: 1996, max: 2005 }) : pick.number.int({ min: 1944, max: 1995 });
    const dateOfBirth = `${year}-${String(pick.number.int({ min: 1, max: 12 })).padStart(2, '0')}-${String(pick.number.int({ min: 1, max: 28 })).padStart(2, '0')}`;
    const key = `${fold(familyName)}|${fold(givenName)}|${dateOfBirth}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const languages = r() < 0.92 ? [{ code: 'fr', level: r() < 0.85 ? 'native' : weighted(LEVELS) }] : [];
    for (const [code, share] of LANGUAGE_SHARES)
      if (languages.length < 4 && r() < share) languages.push({ code, level: weighted(LEVELS) });
    if (languages.length === 0) languages.push({ code: 'en', level: 'native' });
    const skills = SKILL_SHARES.filter(([, share]) => r() < share)
      .map(([code]) => code)
      .slice(0, 3);
    // The Olympic fortnight (2024-07-26 .. 08-11: days 13 .. 29) most often, the Paralympics (08-28 .. 09-08: 46 .. 57), or anywhere.
    const availability: { from: string; to: string }[] = [];
    const ranges = 1 + (r() < 0.35 ? 1 : 0) + (r() < 0.1 ? 1 : 0);
    const taken = new Set<number>();
    for (let i = 0; i < ranges; i++) {
      const [lo, hi] = r() < 0.6 ? [10, 30] : r() < 0.5 ? [44, 57] : [0, 57];
      const from = pick.number.int({ min: lo, max: hi });
      const to = Math.min(57, from + pick.number.int({ min: 0, max: 16 }));
      let clash = false;
      for (let d = from; d <= to; d++) if (taken.has(d)) clash = true;
      if (clash) continue;
      for (let d = from; d <= to; d++) taken.add(d);
      availability.push({ from: day(from), to: day(to) });
    }
    const fields: string[] = [];
    const wanted = 1 + (r() < 0.7 ? 1 : 0) + (r() < 0.5 ? 1 : 0);
    while (fields.length < wanted) {
      const field = weighted(FIELD_WEIGHTS);
      if (!fields.includes(field)) fields.push(field);
    }
    const handle =
      fold(`${givenName} ${familyName}`)
        .replace(/[^a-z0-9]+/g, '.')
        .replace(/^\.+|\.+$/g, '')
        .slice(0, 40) || 'volunteer';
    rows.push({
      familyName,
      givenName,
      email: `${handle}.${rows.length}@example.org`,
      ...(r() < 0.8
        ? { phone: `+33 6 ${String(pick.number.int({ min: 10_000_000, max: 99_999_999 }))}` }
        : {}),
      dateOfBirth,
      nationality: r() < 0.85 ? 'FRA' : weighted(NATIONALITIES),
      languages,
      skills,
      drivingLicence: r() < 0.6,
      availability,
      fields,
      tshirtSize: weighted([
        ['XS', 5],
        ['S', 18],
        ['M', 32],
        ['L', 27],
        ['XL', 12],
        ['XXL', 5],
        ['3XL', 1],
      ]),
      consent: true,
      locale: r() < 0.7 ? 'fr' : 'en',
    });
  }
  return rows;
}

export interface LoadOptions {
  count: number;
  seed: number;
  edition: string;
  batch: number;
  concurrency: number;
  spread: boolean;
}

export function loadOptions(argv: readonly string[]): LoadOptions {
  return {
    count: numberOption(argv, 'count', FULL_SIZE),
    seed: numberOption(argv, 'seed', 2024),
    edition: argValue(argv, 'edition') ?? 'OG2024',
    batch: Math.min(1_000, numberOption(argv, 'batch', 1_000)),
    concurrency: numberOption(argv, 'concurrency', 4),
    spread: !argv.includes('--no-spread'),
  };
}

export interface LoadResult extends BulkLoadResult {
  rows: number;
}

/** Sets the campaign (as volunteer-manager, through the API), then sends the rows through the bulk path. */
export async function loadVolunteers(
  target: ServiceTarget,
  options: LoadOptions,
  log: (line: string) => void,
): Promise<LoadResult> {
  const manager = apiClient('volunteers', {
    baseUrl: target.url,
    token: target.token(['volunteer-manager'], { sub: 'volunteers-loader' }),
    networkRetries: NETWORK_RETRIES,
    conflictRetries: 0,
  });
  const edition = { params: { path: { edition: options.edition } } };
  await ok(manager.PUT('/v1/editions/{edition}/campaign', { ...edition, body: LOAD_CAMPAIGN }));
  const generatedAt = Date.now();
  const rows = generateVolunteers(options.count, options.seed);
  log(
    `generated ${rows.length.toLocaleString('en')} applications (seed ${options.seed}) in ${((Date.now() - generatedAt) / 1000).toFixed(1)} s`,
  );

  const loaded = await postInBatches(rows, options, async (batch) =>
    ok(manager.POST('/v1/editions/{edition}/applications/bulk', { ...edition, body: { applications: batch } })),
  );
  return { rows: rows.length, ...loaded };
}

/** The funnel's shares (per mille, in STAGES' order): where a campaign months along has its applications. */
export const STAGE_SPREAD: [string, number][] = [
  ['applied', 340],
  ['screened', 180],
  ['interview-booked', 40],
  ['interviewed', 60],
  ['trained', 50],
  ['offered', 30],
  ['accepted', 20],
  ['declined', 10],
  ['lapsed', 5],
  ['confirmed', 150],
  ['rejected', 100],
  ['withdrawn', 15],
];

/**
 * Spreads the edition's applications over the stages (by a hash of the id: deterministic for the same rows) and their
 * created_at over the 180 days before the Games (in the order they were created), then VACUUM (FULL) and (ANALYZE).
 */
export async function spreadStages(
  databaseUrl: string,
  edition: string,
  log: (line: string) => void,
): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const started = Date.now();
    let low = 0;
    const cases = STAGE_SPREAD.map(([stage, share]) => {
      const c = `WHEN h < ${low + share} THEN '${stage}'`;
      low += share;
      return c;
    }).join(' ');
    const updated = await pg.query(
      `WITH o AS (
         SELECT id, mod(abs(hashtext(id::text)), 1000) AS h,
                row_number() OVER (ORDER BY created_at, id) AS n, count(*) OVER () AS total
         FROM application WHERE edition = $1)
       UPDATE application a
       SET stage = CASE ${cases} ELSE 'applied' END,
           created_at = timestamptz '2024-01-15 08:00:00Z' + (o.n::float8 / o.total) * interval '180 days',
           updated_at = timestamptz '2024-01-15 08:00:00Z' + (o.n::float8 / o.total) * interval '180 days'
       FROM o WHERE a.id = o.id`,
      [edition],
    );
    log(
      `spread ${updated.rowCount?.toLocaleString('en')} applications over the stages and 180 days of created_at by SQL in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const vacuumed = Date.now();
    await pg.query('VACUUM (FULL) application');
    // VACUUM FULL rewrites the table but leaves its visibility map empty (PostgreSQL 15): a plain VACUUM sets it, as
    // autovacuum does on a table written over months, so that counts read the indexes only.
    await pg.query('VACUUM (ANALYZE) application');
    log(`VACUUM (FULL) then VACUUM (ANALYZE) application: ${((Date.now() - vacuumed) / 1000).toFixed(1)} s`);
  } finally {
    await pg.end();
  }
}

/** The command (tools/volunteers/load.ts). */
export async function loadMain(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = loadOptions(argv);
  const log = (line: string): void => console.log(line);
  const target = await serviceTarget('volunteers', argv, log);
  try {
    const result = await loadVolunteers(target, options, log);
    console.log(
      `loaded ${result.accepted.toLocaleString('en')} of ${result.rows.toLocaleString('en')} applications (${result.refused} refused) in ${result.seconds.toFixed(1)} s: ` +
        `${Math.round(result.accepted / result.seconds).toLocaleString('en')} rows/s, ${result.requests} bulk requests of up to ${options.batch} rows, ${options.concurrency} in flight`,
    );
    for (const refusal of result.firstRefusals) console.log(`  refused: ${refusal}`);
    const databaseUrl = target.databaseUrl ?? argValue(argv, 'database-url');
    if (options.spread) {
      if (databaseUrl) await spreadStages(databaseUrl, options.edition, log);
      else
        console.log(
          'stages not spread: no database (--spawn, or --database-url of the running service); --no-spread to say so',
        );
    }
    if (result.refused > 0) process.exitCode = 1;
  } finally {
    await target.stop();
  }
}
