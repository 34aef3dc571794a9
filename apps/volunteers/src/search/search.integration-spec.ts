/**
 * The recruiter searches (GET /v1/editions/{edition}/applications, docs/volunteers-scale.md) against real PostgreSQL
 * with the real migrations: applications loaded through the bulk path, stages spread by SQL; every filter, alone and
 * together, checked page by page against a plain TypeScript oracle over the same inputs; both sorts; the cursor while
 * rows are inserted between pages; bad parameters (400 naming the parameter); who may search.
 */
import { seededRandom } from '@podium/random';
import { Client } from 'pg';

import { LANGUAGE_LEVELS, STAGES, expandDates } from '../applications/application.logic';
import { ApplicationsService } from '../applications/applications.service';
import type { ApplicationView } from '../applications/applications.view';
import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { type Harness, startVolunteers } from '../test-support/harness';

const EDITION = 'OG2024';
const path = `/v1/editions/${EDITION}/applications`;

const FAMILIES = [
  'Dupont',
  'Dupré',
  'Éluard',
  'Martin',
  'Müller',
  'Núñez',
  "O'Brien",
  'de la Fontaine',
  'Łukasiewicz',
  'Šimić',
  'MARTINEZ',
];
const GIVENS = ['Éloïse', 'Jean-Pierre', 'Ana', 'Zoë', 'Marc', 'Łucja', 'Elodie'];
const LANGS = ['fr', 'en', 'es', 'de'];
const SKILLS = ['first-aid', 'sign-language', 'photography'];
const FIELDS = ['spectator-services', 'sport', 'medical', 'press', 'transport'];

interface Input {
  familyName: string;
  givenName: string;
  email: string;
  dateOfBirth: string;
  nationality: string;
  languages: { code: string; level: (typeof LANGUAGE_LEVELS)[number] }[];
  skills: string[];
  drivingLicence: boolean;
  availability: { from: string; to: string }[];
  fields: string[];
  tshirtSize: string;
  consent: true;
  locale: string;
}

/** `n` different people (names repeat, birth dates do not), deterministic. */
function people(n: number, seed: number, offset = 0): Input[] {
  const r = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const some = <T>(list: readonly T[], min: number, max: number): T[] => {
    const shuffled = [...list].sort(() => r() - 0.5);
    return shuffled.slice(0, min + Math.floor(r() * (max - min + 1)));
  };
  const day = (d: number) => new Date(Date.UTC(2024, 6, 13) + d * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: n }, (_, i) => {
    const start = Math.floor(r() * 50);
    return {
      familyName: pick(FAMILIES),
      givenName: pick(GIVENS),
      email: `p${offset + i}@example.org`,
      dateOfBirth: new Date(Date.UTC(1960, 0, 1) + (offset + i) * 86_400_000).toISOString().slice(0, 10),
      nationality: pick(['FRA', 'BEL', 'ESP']),
      languages: some(LANGS, 1, 3).map((code) => ({ code, level: pick(LANGUAGE_LEVELS) })),
      skills: some(SKILLS, 0, 2),
      drivingLicence: r() < 0.5,
      availability: [{ from: day(start), to: day(Math.min(57, start + Math.floor(r() * 12))) }],
      fields: some(FIELDS, 1, 3),
      tshirtSize: pick(['S', 'M', 'L']),
      consent: true,
      locale: pick(['en', 'fr']),
    };
  });
}

/** The database's name key (volunteers_name_key): lowercase, Latin accents folded. */
const key = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ł/g, 'l');

interface Known {
  id: string;
  input: Input;
  stage: string;
}

/** A page, or a problem. */
interface SearchBody {
  items: ApplicationView[];
  nextCursor: string | null;
  errors?: { field: string }[];
}

type Filters = Partial<
  Record<'stage' | 'language' | 'minLevel' | 'skill' | 'availableOn' | 'field' | 'q', string>
>;

/** The oracle: whether an application matches the filters, in plain TypeScript. */
function matches(k: Known, f: Filters): boolean {
  const rank = (level: string) => LANGUAGE_LEVELS.indexOf(level as (typeof LANGUAGE_LEVELS)[number]);
  if (f.stage !== undefined && k.stage !== f.stage) return false;
  if (
    f.language !== undefined &&
    !k.input.languages.some((l) => l.code === f.language && rank(l.level) >= rank(f.minLevel ?? 'A1'))
  )
    return false;
  if (f.skill !== undefined && !k.input.skills.includes(f.skill)) return false;
  if (f.availableOn !== undefined && !expandDates(k.input.availability).includes(f.availableOn)) return false;
  if (f.field !== undefined && !k.input.fields.includes(f.field)) return false;
  if (f.q !== undefined) {
    const words = key(`${k.input.familyName} ${k.input.givenName}`).split(/[^\p{L}\p{N}]+/u);
    const asked = key(f.q)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    if (!asked.every((a) => words.some((w) => w.startsWith(a)))) return false;
  }
  return true;
}

describe('volunteers: recruiter searches', () => {
  let h: Harness;
  let pg: Client;
  let manager: string;
  let recruiter: string;
  const known: Known[] = [];

  const load = async (inputs: Input[]): Promise<string[]> => {
    const res = await h.request(`${path}/bulk`, {
      method: 'POST',
      json: { applications: inputs },
      token: manager,
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      accepted: number;
      rows: { index: number; id?: string; reason?: string }[];
    };
    expect(report.accepted).toBe(inputs.length);
    return report.rows.map((row) => row.id!);
  };

  const search = async (query: string, token = recruiter): Promise<{ status: number; body: SearchBody }> => {
    const res = await h.request(`${path}?${query}`, { token });
    return { status: res.status, body: (await res.json()) as SearchBody };
  };

  /** Every page of a search, in order (fails on a non-200 or more pages than there can be). */
  const all = async (
    query: string,
    limit: number,
    between?: () => Promise<void>,
  ): Promise<ApplicationView[]> => {
    const items: ApplicationView[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1_000; pages++) {
      const page = await search(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      if (cursor === null) return items;
      expect(page.body.items).toHaveLength(limit);
      await between?.();
    }
    throw new Error('more than 1,000 pages');
  };

  beforeAll(async () => {
    h = await startVolunteers();
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    manager = await h.token(['volunteer-manager'], { sub: 'mgr-1' });
    recruiter = await h.token(['volunteer-recruiter'], { sub: 'rec-1' });
    expect(
      (
        await h.request(`/v1/editions/${EDITION}/campaign`, {
          method: 'PUT',
          json: DEMO_CAMPAIGN,
          token: manager,
        })
      ).status,
    ).toBe(200);
    const inputs = people(240, 12);
    const ids = await load(inputs);
    // Stages spread by SQL (the pipeline's moves are not what is tested here); one in 9 stays applied.
    const r = seededRandom(99);
    ids.forEach((id, i) =>
      known.push({
        id,
        input: inputs[i]!,
        stage: r() < 0.11 ? 'applied' : STAGES[Math.floor(r() * STAGES.length)]!,
      }),
    );
    await pg.query(
      'UPDATE application a SET stage = s.stage FROM unnest($1::uuid[], $2::text[]) AS s(id, stage) WHERE a.id = s.id',
      [known.map((k) => k.id), known.map((k) => k.stage)],
    );
    await pg.query('ANALYZE application');
  }, 60_000);

  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  const cases: Filters[] = [
    {},
    { stage: 'screened' },
    { stage: 'applied' },
    { language: 'fr' },
    { language: 'en', minLevel: 'C1' },
    { language: 'de', minLevel: 'native' },
    { skill: 'sign-language' },
    { availableOn: '2024-07-26' },
    { availableOn: '2024-09-08' },
    { field: 'medical' },
    { q: 'dup' },
    { q: 'ÉLO' },
    { q: 'eloise dupr' },
    { q: 'jean-p' },
    { q: 'lukas' },
    { q: "o'bri" },
    { q: 'fontaine de' },
    { q: 'martin' },
    { q: 'zzz' },
    { stage: 'interviewed', skill: 'first-aid', field: 'sport' },
    { language: 'es', minLevel: 'B1', availableOn: '2024-08-01', q: 'm' },
  ];

  it.each(cases)(
    'finds exactly what the filters say, in creation order, page by page: %j',
    async (filters) => {
      const query = new URLSearchParams(filters as Record<string, string>).toString();
      const items = await all(query, 25);
      const expected = known.filter((k) => matches(k, filters)).map((k) => k.id);
      expect(items.map((i) => i.id).sort()).toEqual([...expected].sort());
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1]!, items[i]!];
        expect(a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id)).toBe(true);
      }
    },
  );

  it.each<[string, Filters]>([
    ['name', {}],
    ['name', { language: 'fr', minLevel: 'B2' }],
    ['name', { stage: 'offered' }],
    ['name', { q: 'ma' }],
    ['-createdAt', { field: 'press' }],
  ])('sorts by %s (case and accents folded, then the id) with %j', async (sort, filters) => {
    const items = await all(
      `${new URLSearchParams({ ...filters, sort } as Record<string, string>).toString()}`,
      10,
    );
    const expected = known.filter((k) => matches(k, filters));
    if (sort === 'name') {
      const order = (k: Known) => [key(k.input.familyName), key(k.input.givenName), k.id] as const;
      expected.sort((a, b) => {
        const [x, y] = [order(a), order(b)];
        for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
        return 0;
      });
      expect(items.map((i) => i.id)).toEqual(expected.map((k) => k.id));
    } else {
      expect(items.map((i) => i.id).sort()).toEqual(expected.map((k) => k.id).sort());
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1]!, items[i]!];
        expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
      }
    }
  });

  it("shows the recruiter's view: no contact details, no date of birth", async () => {
    const page = await search('limit=5');
    expect(page.status).toBe(200);
    for (const item of page.body.items as unknown as Record<string, unknown>[]) {
      expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['email']));
      for (const secret of ['email', 'phone', 'dateOfBirth', 'personalData', 'tokenHash', 'duplicateKey'])
        expect(item).not.toHaveProperty(secret);
      expect(item).toMatchObject({ edition: EDITION, erased: false });
    }
    expect(JSON.stringify(page.body)).not.toMatch(/@example\.org|1960-|1961-/);
  });

  it.each(['createdAt', '-createdAt', 'name'])(
    'sort %s: a cursor never gives a row twice nor misses one while applications are inserted between pages',
    async (sort) => {
      const before = (await all(`sort=${sort}`, 500)).map((i) => i.id);
      let batch = 0;
      const seen = await all(`sort=${sort}`, 17, async () => {
        batch += 1;
        // New people, some sorting before the cursor by name, some after; all created after the first page.
        await load(
          people(
            3,
            1000 + batch + (sort === 'name' ? 50 : sort === '-createdAt' ? 100 : 0),
            10_000 + batch * 10 + (sort === 'name' ? 5_000 : sort === '-createdAt' ? 2_500 : 0),
          ),
        );
      });
      const ids = seen.map((i) => i.id);
      expect(batch).toBeGreaterThan(5);
      expect(new Set(ids).size).toBe(ids.length);
      const shown = new Set(ids);
      expect(before.filter((id) => !shown.has(id))).toEqual([]);
    },
    60_000,
  );

  it('does not list an erased application', async () => {
    const target = known.find((k) => k.input.familyName === 'Šimić')!;
    const before = (await all('q=simic', 100)).map((i) => i.id);
    expect(before).toContain(target.id);
    await pg.query('UPDATE application SET erased_at = now() WHERE id = $1', [target.id]);
    try {
      expect((await all('q=simic', 100)).map((i) => i.id)).toEqual(before.filter((id) => id !== target.id));
    } finally {
      await pg.query('UPDATE application SET erased_at = NULL WHERE id = $1', [target.id]);
    }
  });

  it.each(
    (
      [
        ['stage=hired', 'query.stage'],
        ['language=FR', 'query.language'],
        ['minLevel=B2', 'query.minLevel'],
        ['language=fr&minLevel=D1', 'query.minLevel'],
        ['skill=first%20aid', 'query.skill'],
        ['availableOn=2024-02-30', 'query.availableOn'],
        ['availableOn=26%2F07%2F2024', 'query.availableOn'],
        ['field=', 'query.field'],
        ['q=%20%21%21%20', 'query.q'],
        [`q=${'a'.repeat(101)}`, 'query.q'],
        ['q=a%20b%20c%20d%20e%20f', 'query.q'],
        ['sort=family', 'query.sort'],
        ['limit=0', 'query.limit'],
        ['limit=501', 'query.limit'],
        ['limit=ten', 'query.limit'],
        ['colour=red', 'query.colour'],
        ['cursor=not-a-cursor', 'query.cursor'],
        [`cursor=${Buffer.from('["createdAt","yesterday","x"]').toString('base64url')}`, 'query.cursor'],
        [`cursor=${'A'.repeat(2001)}`, 'query.cursor'],
      ] as const
    ).map(
      ([query, field]) =>
        [
          query.length > 50 ? `${query.slice(0, 40)}... (${query.length} characters)` : query,
          query,
          field,
        ] as const,
    ),
  )('answers 400 problem+json naming the parameter: %s', async (_title, query, field) => {
    const res = await h.request(`${path}?${query}`, { token: recruiter });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { errors?: { field: string }[] };
    expect(body.errors?.map((e) => e.field)).toContain(field);
  });

  it('refuses a cursor of another sort (it would skip or repeat rows)', async () => {
    const first = await search('sort=createdAt&limit=3');
    const cursor = first.body.nextCursor!;
    for (const sort of ['-createdAt', 'name']) {
      const res = await search(`sort=${sort}&limit=3&cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errors: [{ field: 'query.cursor' }] });
    }
    expect((await search(`sort=createdAt&limit=3&cursor=${cursor}`)).status).toBe(200);
  });

  it('is for recruiters: 401 without a token, 403 for other roles', async () => {
    expect((await h.request(`${path}?limit=1`)).status).toBe(401);
    for (const roles of [['accreditation-officer'], ['volunteer'], ['data-protection-officer'], []]) {
      const res = await h.request(`${path}?limit=1`, { token: await h.token(roles, { sub: 'someone' }) });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    for (const roles of [['volunteer-recruiter'], ['volunteer-manager'], ['oc-admin']]) {
      expect((await h.request(`${path}?limit=1`, { token: await h.token(roles) })).status).toBe(200);
    }
  });

  it('stores the language levels as volunteers_language_levels computes them, for every level, by the bulk and the submit paths', async () => {
    // The bulk path: the 240 loaded above (and those of the cursor tests), which hold every level.
    expect(new Set(known.flatMap((k) => k.input.languages.map((l) => l.level)))).toEqual(
      new Set(LANGUAGE_LEVELS),
    );
    // The submit path (the portal's): one application per level of German, beside French at A1.
    const applications = h.app.get(ApplicationsService);
    const submitted: string[] = [];
    for (const [i, input] of people(LANGUAGE_LEVELS.length, 77, 16_000).entries()) {
      const { application } = await applications.submit(
        EDITION,
        {
          ...input,
          familyName: 'Levelle',
          languages: [
            { code: 'de', level: LANGUAGE_LEVELS[i] },
            { code: 'fr', level: 'A1' },
          ],
        },
        { via: 'portal', by: 'applicant' },
      );
      submitted.push(application.id);
    }
    const { rows } = await pg.query<{ id: string; stored: string[] | null; computed: string[] }>(
      'SELECT id::text AS id, language_levels AS stored, volunteers_language_levels(languages) AS computed FROM application WHERE edition = $1',
      [EDITION],
    );
    expect(rows.length).toBeGreaterThanOrEqual(known.length + submitted.length);
    for (const row of rows) {
      expect(row.stored).not.toBeNull();
      expect([...row.stored!].sort()).toEqual([...row.computed].sort());
    }
    submitted.forEach((id, i) =>
      expect(rows.find((r) => r.id === id)?.stored).toEqual([
        ...LANGUAGE_LEVELS.slice(0, i + 1).map((level) => `de:${level}`),
        'fr:A1',
      ]),
    );
    // And the search finds them by the stored column: German at least B2 are the ones at B2, C1, C2 and native.
    const found = (await all(`language=de&minLevel=B2&q=levelle`, 25)).map((item) => item.id);
    expect(found.sort()).toEqual(submitted.slice(LANGUAGE_LEVELS.indexOf('B2')).sort());
  });

  it('answers an empty page for an edition without applications', async () => {
    const res = await h.request('/v1/editions/OG2028/applications?q=dup', { token: recruiter });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
  });
});
