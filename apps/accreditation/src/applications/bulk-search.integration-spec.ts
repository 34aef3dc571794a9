import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

import { type Harness, json, startAccreditation } from '../test-support/harness';

const EDITION = 'OG2024';
const PACK = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')) as {
  organisations: { code: string; quotas: Record<string, number> }[];
};

interface Application {
  id: string;
  organisation: string;
  category: string;
  familyName: string;
  givenName: string;
  state: string;
}
interface Page {
  items: Application[];
  nextCursor: string | null;
}
interface BulkReport {
  accepted: number;
  refused: number;
  items: { index: number; status: string; id?: string; reason?: string; detail?: string; over?: number; quota?: number; used?: number; errors?: { field: string }[] }[];
}

const person = (over: Record<string, unknown> = {}) => ({
  organisation: 'FRA',
  category: 'AA',
  familyName: 'DUPONT',
  givenName: 'Marie',
  dateOfBirth: '1999-03-04',
  nationality: 'FRA',
  ...over,
});

describe('accreditation: the bulk path and the staff searches', () => {
  let h: Harness;
  let pg: Client;
  let admin: string;
  let officer: string;
  let fra: string;
  let usa: string;

  const post = (path: string, body: unknown, token: string) => h.request(path, { method: 'POST', json: body, token });
  const bulk = (rows: unknown[], token: string) => post(`/v1/editions/${EDITION}/applications/bulk`, { rows }, token);
  const list = (query: string, token: string) => h.request(`/v1/editions/${EDITION}/applications?${query}`, { token });
  /** Every page of a search, following nextCursor. */
  async function allPages(query: string, token: string, limit: number): Promise<{ items: Application[]; pages: number }> {
    const items: Application[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await json<Page>(await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token), 200);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
      if (pages > 1_000) throw new Error('the cursor does not end');
    } while (cursor !== null);
    return { items, pages };
  }
  const quotaRow = async (organisation: string, category: string) =>
    (await pg.query<{ quota: number; used: number }>('SELECT quota, used FROM quota WHERE edition = $1 AND organisation = $2 AND category = $3', [EDITION, organisation, category])).rows[0];
  const applicationCount = async (organisation: string, category: string) =>
    Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM application WHERE edition = $1 AND organisation = $2 AND category = $3', [EDITION, organisation, category])).rows[0]?.n);

  beforeAll(async () => {
    h = await startAccreditation();
    pg = new Client({ connectionString: h.db!.url });
    await pg.connect();
    admin = await h.token(['oc-admin'], { sub: 'admin-1' });
    officer = await h.token(['accreditation-officer'], { sub: 'officer-1' });
    fra = await h.token(['noc-official'], { sub: 'fra-1', noc: 'FRA' });
    usa = await h.token(['noc-official'], { sub: 'usa-1', noc: 'USA' });
    const pack = structuredClone(PACK);
    pack.organisations.find((o) => o.code === 'FRA')!.quotas['AAP'] = 3;
    pack.organisations.find((o) => o.code === 'KEN')!.quotas['AO'] = 50;
    await json(await post(`/v1/editions/${EDITION}/reference-data`, pack, admin), 200);
  });

  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  it('reports every row: accepted with its id, or refused with the single path reason (invalid, forbidden, unknown-reference, quota-exceeded by how much)', async () => {
    const rows = [
      person({ category: 'AAP', familyName: 'ALPHA' }),
      person({ category: 'AAP', familyName: 'BRAVO' }),
      { ...person(), dateOfBirth: '1999-13-45' },
      person({ organisation: 'USA', nationality: 'USA' }),
      person({ category: 'AAP', familyName: 'CHARLIE' }),
      person({ category: 'ZZ' }),
      person({ category: 'AAP', familyName: 'DELTA' }),
      person({ category: 'AAP', familyName: 'ECHO' }),
      { ...person(), passport: 'X' },
    ];
    const report = await json<BulkReport>(await bulk(rows, fra), 200);
    expect(report.accepted).toBe(3);
    expect(report.refused).toBe(6);
    expect(report.items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(report.items.map((i) => i.reason ?? i.status)).toEqual([
      'accepted',
      'accepted',
      'invalid',
      'forbidden',
      'accepted',
      'unknown-reference',
      'quota-exceeded',
      'quota-exceeded',
      'invalid',
    ]);
    expect(report.items[2]!.errors?.map((e) => e.field)).toEqual(['rows[2].dateOfBirth']);
    expect(report.items[6]).toMatchObject({ quota: 3, used: 3, over: 1 });
    expect(report.items[7]).toMatchObject({ quota: 3, used: 3, over: 2 });
    expect(report.items[7]!.detail).toContain('2 over the quota');
    // Nothing written for another organisation; the accepted rows exist with their history, and the quota is full.
    expect(await applicationCount('USA', 'AA')).toBe(0);
    expect(await quotaRow('FRA', 'AAP')).toEqual({ quota: 3, used: 3 });
    const accepted = await json<Application>(await h.request(`/v1/editions/${EDITION}/applications/${report.items[4]!.id}`, { token: fra }), 200);
    expect(accepted).toMatchObject({ familyName: 'CHARLIE', category: 'AAP', state: 'submitted' });
    const history = await json<{ items: { action: string; to: string; by: string }[] }>(
      await h.request(`/v1/editions/${EDITION}/applications/${accepted.id}/history`, { token: fra }),
      200,
    );
    expect(history.items).toEqual([expect.objectContaining({ action: 'submit', to: 'submitted', by: 'fra-1' })]);
    const single = await post(`/v1/editions/${EDITION}/applications`, person({ category: 'AAP', familyName: 'FOXTROT' }), fra);
    expect(single.status).toBe(409);
    // USA's officer cannot see FRA's bulk rows.
    expect((await h.request(`/v1/editions/${EDITION}/applications/${accepted.id}`, { token: usa })).status).toBe(404);
  });

  it('keeps the quota exact when batches and single submissions race for the same places', async () => {
    const ken = await h.token(['noc-official'], { sub: 'ken-1', noc: 'KEN' });
    const kenRow = (n: number) => person({ organisation: 'KEN', category: 'AO', nationality: 'KEN', familyName: `KEN${n}` });
    const batches = [0, 1, 2, 3].map((b) => bulk(Array.from({ length: 20 }, (_, i) => kenRow(b * 20 + i)), b % 2 === 0 ? ken : officer));
    const singles = Array.from({ length: 12 }, (_, i) => post(`/v1/editions/${EDITION}/applications`, kenRow(100 + i), ken));
    const [batchAnswers, singleAnswers] = await Promise.all([Promise.all(batches), Promise.all(singles)]);
    const reports = await Promise.all(batchAnswers.map((r) => json<BulkReport>(r, 200)));
    const singleStatuses = singleAnswers.map((r) => r.status);
    expect(singleStatuses.every((s) => s === 201 || s === 409)).toBe(true);
    const accepted = reports.reduce((n, r) => n + r.accepted, 0) + singleStatuses.filter((s) => s === 201).length;
    expect(accepted).toBe(50);
    expect(reports.reduce((n, r) => n + r.refused, 0) + singleStatuses.filter((s) => s === 409).length).toBe(80 + 12 - 50);
    expect(await quotaRow('KEN', 'AO')).toEqual({ quota: 50, used: 50 });
    expect(await applicationCount('KEN', 'AO')).toBe(50);
  });

  it('lets only the applicant roles call it, and refuses a malformed or oversized body whole', async () => {
    const obs = await h.token(['ro-officer'], { sub: 'obs-1', org: 'OBS' });
    const report = await json<BulkReport>(await bulk([person({ organisation: 'OBS', category: 'RT' }), person({ organisation: 'FRA' })], obs), 200);
    expect(report.items.map((i) => i.reason ?? i.status)).toEqual(['accepted', 'forbidden']);
    const scanner = await h.token(['gate-scanner'], { sub: 'scanner-1' });
    expect((await bulk([person()], scanner)).status).toBe(403);
    const security = await h.token(['accreditation-security'], { sub: 'sec-1' });
    expect((await bulk([person()], security)).status).toBe(403);
    expect((await h.request(`/v1/editions/${EDITION}/applications/bulk`, { method: 'POST', json: { rows: [person()] } })).status).toBe(401);
    for (const body of [{ rows: [] }, { rows: Array.from({ length: 1_001 }, () => person()) }, { rows: 'x' }, { rows: [person()], extra: 1 }]) {
      const res = await post(`/v1/editions/${EDITION}/applications/bulk`, body, admin);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await post(`/v1/editions/OG2099/applications/bulk`, { rows: [person()] }, admin)).status).toBe(404);
  });

  describe('searches', () => {
    const names: [string, string, string, string][] = [
      // family, given, organisation, category
      ['DUPRÉ', 'Éloïse', 'USA', 'AO'],
      ['Dupont', 'Zoé', 'USA', 'AA'],
      ['MARTIN', 'eloise', 'USA', 'AA'],
      ['ÉLOI', 'Jean', 'USA', 'AO'],
      ['Nguyen', 'Anh', 'JPN', 'AA'],
      ['Dupuis', 'Marc', 'JPN', 'AO'],
      ['Łukasz', 'Ola', 'JPN', 'AAP'],
    ];
    let ids: Map<string, string>;

    beforeAll(async () => {
      const rows = names.map(([familyName, givenName, organisation, category]) => person({ familyName, givenName, organisation, category, nationality: organisation }));
      const report = await json<BulkReport>(await bulk(rows, officer), 200);
      expect(report.accepted).toBe(names.length);
      ids = new Map(report.items.map((i) => [names[i.index]![0], i.id!]));
      await json(await post(`/v1/editions/${EDITION}/applications/${ids.get('Dupuis')}/transitions`, { to: 'vetting', reason: 'checks' }, officer), 200);
    });

    const familyNames = (page: { items: Application[] }) => page.items.map((a) => a.familyName);

    it('filters by a name prefix of the family or the given name, case and accents ignored, in name order', async () => {
      const usaOnly = 'organisation=USA';
      expect(familyNames(await json<Page>(await list(`${usaOnly}&name=dup`, officer), 200))).toEqual(['Dupont', 'DUPRÉ']);
      // 'elo' is the family name ÉLOI and the given names Éloïse and eloise.
      expect(familyNames(await json<Page>(await list(`${usaOnly}&name=ELO`, officer), 200))).toEqual(['DUPRÉ', 'ÉLOI', 'MARTIN']);
      expect(familyNames(await json<Page>(await list(`${usaOnly}&name=${encodeURIComponent('ÉLOÏS')}`, officer), 200))).toEqual(['DUPRÉ', 'MARTIN']);
      expect(familyNames(await json<Page>(await list(`name=${encodeURIComponent('łuk')}`, officer), 200))).toEqual(['Łukasz']);
      expect(familyNames(await json<Page>(await list(`name=dupu`, officer), 200))).toEqual(['Dupuis']);
      expect((await json<Page>(await list(`name=${encodeURIComponent('%')}`, officer), 200)).items).toEqual([]);
    });

    it('filters by organisation, category and state, alone and together', async () => {
      expect(familyNames(await json<Page>(await list('organisation=JPN', officer), 200))).toEqual(['Dupuis', 'Łukasz', 'Nguyen']);
      expect(familyNames(await json<Page>(await list('organisation=USA&category=AO', officer), 200))).toEqual(['DUPRÉ', 'ÉLOI']);
      expect(familyNames(await json<Page>(await list('state=vetting', officer), 200))).toEqual(['Dupuis']);
      expect(familyNames(await json<Page>(await list('category=AO&state=submitted&name=d', officer), 200))).toEqual(['DUPRÉ']);
      const aap = await json<Page>(await list('category=AAP', officer), 200);
      expect(aap.items.every((a) => a.category === 'AAP')).toBe(true);
      expect(familyNames(aap)).toContain('Łukasz');
      expect(familyNames(aap)).toContain('ALPHA');
    });

    it('pages with a cursor: every row once, in order, whatever the page size, and refuses a forged cursor', async () => {
      const whole = await json<Page>(await list('limit=500', officer), 200);
      expect(whole.nextCursor).toBeNull();
      expect(whole.items.length).toBeGreaterThan(60);
      for (const limit of [1, 7, 50]) {
        const paged = await allPages('organisation=KEN', officer, limit);
        expect(paged.items.map((a) => a.id)).toEqual(whole.items.filter((a) => a.organisation === 'KEN').map((a) => a.id));
        expect(paged.pages).toBe(Math.floor(50 / limit) + (50 % limit === 0 ? 0 : 1));
      }
      const all = await allPages('state=submitted', officer, 13);
      expect(all.items.map((a) => a.id)).toEqual(whole.items.filter((a) => a.state === 'submitted').map((a) => a.id));
      expect(new Set(all.items.map((a) => a.id)).size).toBe(all.items.length);
      for (const cursor of ['12', 'bm90LWpzb24', Buffer.from(JSON.stringify(['a', 'b', 'not-a-uuid'])).toString('base64url'), '%2F%2F']) {
        const res = await list(`cursor=${cursor}`, officer);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it("keeps an organisation's officer to its own applicants, whatever it asks for", async () => {
      const own = await allPages('name=d', usa, 2);
      expect(own.items.length).toBeGreaterThan(0);
      expect(own.items.every((a) => a.organisation === 'USA')).toBe(true);
      expect(familyNames(own)).toEqual(['Dupont', 'DUPRÉ']);
      expect((await json<Page>(await list('organisation=JPN', usa), 200)).items).toEqual([]);
      expect((await json<Page>(await list('organisation=JPN&name=dupu', usa), 200)).items).toEqual([]);
      // A cursor taken from the OC's list of another organisation does not leak that organisation's rows.
      const jpnPage = await json<Page>(await list('organisation=JPN&limit=1', officer), 200);
      const after = await json<Page>(await list(`limit=500&cursor=${jpnPage.nextCursor}`, usa), 200);
      expect(after.items.every((a) => a.organisation === 'USA')).toBe(true);
    });
  });
});
