/**
 * Venues and members (docs/workforce-api.md), against real PostgreSQL and NATS: the venues' time zones, a member's
 * create / read / list / change / release with its member.changed events (the contract's payload exactly), the
 * personal data sealed at rest and shown to managers only, optimistic concurrency, the bulk path's per-row report.
 */
import { memberStateSchema } from '@podium/contracts';
import { Client } from 'pg';

import { type Harness, startWorkforce } from '../test-support/harness';
import { eventsOf, memberBody } from '../test-support/people';
import { memberListSql } from './members.service';

const EDITION = 'OG2024';
const base = `/v1/editions/${EDITION}`;
const MEMBER_CHANGED = `oms.workforce.v1.member.${EDITION}.changed`;

describe('workforce: venues and members', () => {
  let h: Harness;
  let pg: Client;
  let manager: string;
  let supervisor: string;
  let checkin: string;

  const post = (path: string, json: unknown, token = manager) => h.request(`${base}${path}`, { method: 'POST', json, token });
  const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

  beforeAll(async () => {
    h = await startWorkforce();
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    manager = await h.token(['workforce-manager'], { sub: 'mgr-1' });
    supervisor = await h.token(['workforce-supervisor'], { sub: 'sup-1' });
    checkin = await h.token(['workforce-checkin'], { sub: 'desk-1' });
  });
  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  describe('venues', () => {
    it('creates and replaces a venue with an IANA zone, and lists them', async () => {
      const put = await h.request(`${base}/venues/sta`, { method: 'PUT', json: { name: 'Stade de France', timeZone: 'Europe/Paris' }, token: manager });
      expect(put.status).toBe(200);
      expect(await put.json()).toEqual({ edition: EDITION, code: 'STA', name: 'Stade de France', timeZone: 'Europe/Paris' });
      await h.request(`${base}/venues/TEA`, { method: 'PUT', json: { name: 'Teahupo\'o', timeZone: 'Pacific/Tahiti' }, token: manager });
      const list = await json(await h.request(`${base}/venues`, { token: manager }));
      expect(list['items']).toEqual([
        expect.objectContaining({ code: 'STA', timeZone: 'Europe/Paris' }),
        expect.objectContaining({ code: 'TEA', timeZone: 'Pacific/Tahiti' }),
      ]);
    });

    it("lets supervisors and check-in desks read the venues, within their token's venues; other roles 403", async () => {
      const codes = async (token: string) => ((await json(await h.request(`${base}/venues`, { token })))['items'] as { code: string }[]).map((v) => v.code);
      expect(await codes(supervisor)).toEqual(['STA', 'TEA']);
      expect(await codes(checkin)).toEqual(['STA', 'TEA']);
      expect(await codes(await h.token(['workforce-checkin'], { sub: 'desk-tea', venues: ['tea'] }))).toEqual(['TEA']);
      expect(await codes(await h.token(['workforce-supervisor'], { sub: 'sup-x', venues: ['sta', 'xyz'] }))).toEqual(['STA']);
      expect(await codes(await h.token(['workforce-supervisor'], { sub: 'sup-none', venues: [] }))).toEqual([]);
      expect((await h.request(`${base}/venues`, { token: await h.token(['volunteer-recruiter'], { sub: 'rec-1' }) })).status).toBe(403);
    });

    it('answers 400 naming the field for an unknown zone or a bad code, 403 for a supervisor', async () => {
      const bad = await h.request(`${base}/venues/STA`, { method: 'PUT', json: { name: 'x', timeZone: 'Mars/Olympus' }, token: manager });
      expect(bad.status).toBe(400);
      expect((await json(bad))['errors']).toEqual([expect.objectContaining({ field: 'body.timeZone' })]);
      const offset = await h.request(`${base}/venues/STA`, { method: 'PUT', json: { name: 'x', timeZone: '+02:00' }, token: manager });
      expect(offset.status).toBe(400);
      const code = await h.request(`${base}/venues/NOT%20A%20CODE`, { method: 'PUT', json: { name: 'x', timeZone: 'UTC' }, token: manager });
      expect(code.status).toBe(400);
      expect((await json(code))['errors']).toEqual([expect.objectContaining({ field: 'path.code' })]);
      expect((await h.request(`${base}/venues/STA`, { method: 'PUT', json: { name: 'x', timeZone: 'UTC' }, token: supervisor })).status).toBe(403);
    });
  });

  describe('members', () => {
    it('creates a member, publishes member.changed with the contract payload exactly, records history', async () => {
      const res = await post('/members', memberBody({ familyName: 'BERNARD', givenName: 'Hugo', dateOfBirth: '1988-11-23', homeVenue: 'sta' }));
      expect(res.status).toBe(201);
      const member = await json(res);
      expect(member).toMatchObject({ type: 'staff', familyName: 'BERNARD', homeVenue: 'STA', status: 'active', version: 1, dateOfBirth: '1988-11-23', nationality: 'FRA' });
      const [event] = await eventsOf(h, MEMBER_CHANGED, member['id'] as string);
      expect(memberStateSchema.strict().parse(event!.data)).toEqual({
        id: member['id'],
        edition: EDITION,
        type: 'staff',
        volunteerId: null,
        familyName: 'BERNARD',
        givenName: 'Hugo',
        dateOfBirth: '1988-11-23',
        nationality: 'FRA',
        organisation: 'PARIS2024',
        role: 'Venue host',
        functionalArea: 'VEN',
        homeVenue: 'STA',
        status: 'active',
        version: 1,
        updatedAt: member['updatedAt'],
      });
      const history = await pg.query(`SELECT action, by FROM history_entry WHERE entity = 'member' AND entity_id = $1`, [member['id']]);
      expect(history.rows).toEqual([{ action: 'create', by: 'mgr-1' }]);
    });

    it('seals the date of birth and nationality: absent from the raw row, shown to managers only', async () => {
      const member = await json(await post('/members', memberBody({ dateOfBirth: '1977-02-13', nationality: 'JPN' })));
      const raw = await pg.query(`SELECT * FROM member WHERE id = $1`, [member['id']]);
      const text = JSON.stringify(raw.rows[0], (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
      expect(text).not.toContain('1977-02-13');
      expect(text).not.toContain('JPN');
      expect(raw.rows[0].personal_kid).toBe('dev-1');
      const asSupervisor = await json(await h.request(`${base}/members/${member['id'] as string}`, { token: supervisor }));
      expect(asSupervisor).not.toHaveProperty('dateOfBirth');
      expect(asSupervisor).not.toHaveProperty('nationality');
      const asManager = await json(await h.request(`${base}/members/${member['id'] as string}`, { token: manager }));
      expect(asManager).toMatchObject({ dateOfBirth: '1977-02-13', nationality: 'JPN' });
      expect((await h.request(`${base}/members/${member['id'] as string}`, { token: checkin })).status).toBe(403);
    });

    it('answers 400 naming the field for a bad member, 403 to a supervisor creating one, 404 for another edition', async () => {
      const bad = await post('/members', memberBody({ nationality: 'FRANCE', dateOfBirth: '2999-01-01' }));
      expect(bad.status).toBe(400);
      const fields = ((await json(bad))['errors'] as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['body.nationality', 'body.dateOfBirth']));
      const volunteerIdOnStaff = await post('/members', memberBody({ volunteerId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9' }));
      expect(volunteerIdOnStaff.status).toBe(400);
      expect((await post('/members', memberBody(), supervisor)).status).toBe(403);
      const member = await json(await post('/members', memberBody()));
      expect((await h.request(`/v1/editions/OG2028/members/${member['id'] as string}`, { token: manager })).status).toBe(404);
    });

    it('changes a member at its version, 409 stale-version at an older one; the event carries the new state', async () => {
      const member = await json(await post('/members', memberBody()));
      const id = member['id'] as string;
      const patch = (body: unknown) => h.request(`${base}/members/${id}`, { method: 'PATCH', json: body, token: manager });
      const ok = await patch({ version: 1, role: 'Team leader', nationality: 'ITA', skills: ['Driving', 'first-aid'] });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ role: 'Team leader', nationality: 'ITA', skills: ['driving', 'first-aid'], version: 2 });
      const stale = await patch({ version: 1, role: 'Someone else' });
      expect(stale.status).toBe(409);
      expect(await stale.json()).toMatchObject({ type: 'https://podium.dev/problems/stale-version', currentVersion: 2 });
      const events = await eventsOf(h, MEMBER_CHANGED, id, 2);
      expect(events[1]!.data).toMatchObject({ role: 'Team leader', nationality: 'ITA', dateOfBirth: member['dateOfBirth'], version: 2 });
      expect((await patch({ version: 2 })).status).toBe(400);
      expect((await patch({ version: 2, status: 'released' })).status).toBe(400);
    });

    it('releases a member with a reason (event, history); a second release is 409', async () => {
      const member = await json(await post('/members', memberBody({ type: 'contractor', organisation: 'SECURCO' })));
      const id = member['id'] as string;
      expect((await post(`/members/${id}/release`, {})).status).toBe(400);
      const res = await post(`/members/${id}/release`, { reason: 'contract ended' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'released', version: 2, cancelledAssignments: 0 });
      const events = await eventsOf(h, MEMBER_CHANGED, id, 2);
      expect(events[1]!.data).toMatchObject({ status: 'released', version: 2 });
      const history = await pg.query(`SELECT action, reason FROM history_entry WHERE entity_id = $1 ORDER BY id`, [id]);
      expect(history.rows).toEqual([
        { action: 'create', reason: null },
        { action: 'release', reason: 'contract ended' },
      ]);
      expect((await post(`/members/${id}/release`, { reason: 'again' })).status).toBe(409);
    });

    it('loads a batch with a report per row: bad rows and duplicate volunteers refuse only themselves', async () => {
      const volunteerId = '3f2e1d0c-4b5a-4697-8877-665544332211';
      const rows = [
        memberBody({ type: 'volunteer', volunteerId, organisation: 'PARIS2024' }),
        memberBody({ dateOfBirth: 'yesterday' }),
        memberBody({ type: 'volunteer', volunteerId }),
        memberBody({ type: 'contractor' }),
      ];
      const res = await post('/members/bulk', { members: rows });
      expect(res.status).toBe(200);
      const report = await json(res);
      expect(report).toMatchObject({ created: 2, refused: 2 });
      expect(report['rows']).toEqual([
        { index: 0, status: 'created', id: expect.any(String) },
        { index: 1, status: 'refused', reason: 'invalid', errors: [expect.objectContaining({ field: 'dateOfBirth' })] },
        { index: 2, status: 'refused', reason: 'duplicate-volunteer' },
        { index: 3, status: 'created', id: expect.any(String) },
      ]);
      const again = await json(await post('/members/bulk', { members: [memberBody({ type: 'volunteer', volunteerId })] }));
      expect(again['rows']).toEqual([{ index: 0, status: 'refused', reason: 'duplicate-volunteer' }]);
      const created = (report['rows'] as { id?: string }[])[3]!.id!;
      await eventsOf(h, MEMBER_CHANGED, created);
      expect((await post('/members/bulk', { members: Array.from({ length: 1001 }, () => ({})) })).status).toBe(400);
    });

    it('loads a batch of 1,000 members: each stored once as sent, one history entry and one member.changed each, in order', async () => {
      const volunteerOf = (i: number) => `6a1b2c3d-4e5f-4a6b-8c7d-${String(i).padStart(12, '0')}`;
      const rows = Array.from({ length: 1_000 }, (_, i) => {
        const kind = i % 10 < 7 ? 'volunteer' : i % 10 < 9 ? 'staff' : 'contractor';
        return memberBody({
          type: kind,
          ...(kind === 'volunteer' ? { volunteerId: volunteerOf(i) } : {}),
          familyName: `Bulk-O'Neil "${i}"`,
          givenName: i % 3 === 0 ? '' : `Zoë ${i}`,
          dateOfBirth: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
          nationality: ['FRA', 'JPN', 'BRA'][i % 3],
          homeVenue: ['STA', 'TEA', 'BER'][i % 3],
          skills: i % 4 === 0 ? [] : ['first-aid', `skill-${i % 7}`],
          languages: ['fr', 'en', 'de'].slice(0, 1 + (i % 3)),
          availableDates: kind === 'volunteer' ? ['2024-08-02', '2024-07-30'] : [],
          preferences: i % 5 === 0 ? { venues: ['STA'], shiftStarts: 'early' } : {},
        });
      });
      const res = await post('/members/bulk', { members: rows });
      expect(res.status).toBe(200);
      const report = await json(res);
      expect(report).toMatchObject({ created: 1_000, refused: 0 });
      const reported = report['rows'] as { index: number; status: string; id: string }[];
      expect(reported.map((r) => [r.index, r.status])).toEqual(rows.map((_, i) => [i, 'created']));
      const ids = reported.map((r) => r.id);
      expect(new Set(ids).size).toBe(1_000);

      const stored = await pg.query(
        `SELECT id::text AS id, type, volunteer_id::text AS volunteer_id, family_name, given_name, home_venue, skills, languages, available_dates,
                preferences, status, version, created_by, personal_kid FROM member WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      expect(stored.rows).toHaveLength(1_000);
      const byId = new Map(stored.rows.map((r: Record<string, unknown>) => [r['id'], r]));
      rows.forEach((row, i) => {
        expect(byId.get(ids[i])).toEqual({
          id: ids[i],
          type: row['type'],
          volunteer_id: row['volunteerId'] ?? null,
          family_name: row['familyName'],
          given_name: row['givenName'],
          home_venue: row['homeVenue'],
          skills: row['skills'],
          languages: row['languages'],
          available_dates: [...(row['availableDates'] as string[])].sort(),
          preferences: row['preferences'],
          status: 'active',
          version: 1,
          created_by: 'mgr-1',
          personal_kid: 'dev-1',
        });
      });
      const sample = await json(await h.request(`${base}/members/${ids[998]!}`, { token: manager }));
      expect(sample).toMatchObject({ dateOfBirth: rows[998]!['dateOfBirth'], nationality: rows[998]!['nationality'], givenName: rows[998]!['givenName'] });

      const history = await pg.query(
        `SELECT entity_id, action, by, reason, details FROM history_entry WHERE entity = 'member' AND entity_id = ANY($1::text[]) ORDER BY id`,
        [ids],
      );
      expect(history.rows).toEqual(rows.map((row, i) => ({ entity_id: ids[i], action: 'create', by: 'mgr-1', reason: null, details: { type: row['type'], via: 'bulk' } })));

      const outbox = await pg.query(`SELECT o.subject, o.payload::jsonb -> 'data' ->> 'id' AS id FROM outbox_event o WHERE o.payload::jsonb -> 'data' ->> 'id' = ANY($1::text[]) ORDER BY o.id`, [ids]);
      expect(outbox.rows).toEqual(ids.map((id) => ({ subject: MEMBER_CHANGED, id })));
      await eventsOf(h, MEMBER_CHANGED, ids[999]!);
      const published = (await h.readStream('WORKFORCE'))
        .filter((m) => m.subject === MEMBER_CHANGED)
        .map((m) => m.json as { id: string; data: Record<string, unknown> })
        .filter((e) => byId.has(e.data['id']));
      expect(published.map((e) => e.data['id'])).toEqual(ids);
      expect(new Set(published.map((e) => e.id)).size).toBe(1_000);
      published.forEach((event, i) => {
        const row = rows[i]!;
        expect(memberStateSchema.strict().parse(event.data)).toEqual({
          id: ids[i],
          edition: EDITION,
          type: row['type'],
          volunteerId: row['volunteerId'] ?? null,
          familyName: row['familyName'],
          givenName: row['givenName'],
          dateOfBirth: row['dateOfBirth'],
          nationality: row['nationality'],
          organisation: 'PARIS2024',
          role: 'Venue host',
          functionalArea: 'VEN',
          homeVenue: row['homeVenue'],
          status: 'active',
          version: 1,
          updatedAt: expect.any(String),
        });
      });

      // Sent again, its volunteers are refused (already members), its staff and contractors created anew, each once.
      const again = await json(await post('/members/bulk', { members: rows.slice(0, 10) }));
      expect((again['rows'] as { status: string; reason?: string }[]).map((r) => r.reason ?? r.status)).toEqual(
        rows.slice(0, 10).map((r) => (r['type'] === 'volunteer' ? 'duplicate-volunteer' : 'created')),
      );
      const volunteers = await pg.query(`SELECT count(*)::int AS n FROM member WHERE volunteer_id::text LIKE '6a1b2c3d-4e5f-4a6b-8c7d-%'`);
      expect(volunteers.rows).toEqual([{ n: 700 }]);
    });

    it('lists members filtered, in name order, page by page with a cursor', async () => {
      for (const [familyName, skills, languages] of [
        ['ZOLA', ['driving'], ['fr']],
        ['ZOLTAN', ['driving', 'first-aid'], ['hu', 'en']],
        ['ZORRO', ['first-aid'], ['es']],
      ] as const) {
        expect((await post('/members', memberBody({ familyName, skills, languages, homeVenue: 'AQC', functionalArea: 'MED' }))).status).toBe(201);
      }
      const list = async (query: string) => json(await h.request(`${base}/members?${query}`, { token: supervisor }));
      const names = (page: Record<string, unknown>) => (page['items'] as { familyName: string }[]).map((m) => m.familyName);
      expect(names(await list('name=zo'))).toEqual(['ZOLA', 'ZOLTAN', 'ZORRO']);
      expect(names(await list('name=zo&skill=driving'))).toEqual(['ZOLA', 'ZOLTAN']);
      expect(names(await list('venue=aqc&language=en'))).toEqual(['ZOLTAN']);
      expect(names(await list('functionalArea=MED&type=staff&status=active'))).toEqual(['ZOLA', 'ZOLTAN', 'ZORRO']);
      const first = await list('name=zo&limit=2');
      expect(names(first)).toEqual(['ZOLA', 'ZOLTAN']);
      expect(first['items']).toEqual([expect.not.objectContaining({ dateOfBirth: expect.anything() }), expect.anything()]);
      const second = await list(`name=zo&limit=2&cursor=${first['nextCursor'] as string}`);
      expect(names(second)).toEqual(['ZORRO']);
      expect(second['nextCursor']).toBeNull();
      const bad = await h.request(`${base}/members?cursor=garbage!`, { token: supervisor });
      expect(bad.status).toBe(400);
      expect((await json(bad))['errors']).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
      expect(names(await list('name=%25'))).toEqual([]);
    });

    it('pages through same and differently cased names in (family, given, id) order, with and without a name prefix', async () => {
      const ids: string[] = [];
      for (const [familyName, givenName] of [['YVES', 'Anna'], ['Yvette', 'Bo'], ['YVES', 'Anna'], ['yvon', 'Al'], ['YVES', 'Anna'], ['YVES', 'Aaron']] as const) {
        const res = await post('/members', memberBody({ familyName, givenName, homeVenue: 'BCY', functionalArea: 'TEC' }));
        ids.push((await json(res))['id'] as string);
      }
      const expected = (
        await pg.query<{ id: string }>('SELECT id::text AS id FROM member WHERE id = ANY($1::uuid[]) ORDER BY family_name, given_name, id', [ids])
      ).rows.map((r) => r.id);
      const walk = async (query: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await json(await h.request(`${base}/members?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: supervisor }));
          seen.push(...(page['items'] as { id: string }[]).map((m) => m.id));
          cursor = page['nextCursor'] as string | null;
        } while (cursor !== null);
        return seen;
      };
      expect(await walk('name=yV')).toEqual(expected);
      expect(await walk('venue=BCY&functionalArea=TEC')).toEqual(expected);
      expect(await walk('name=YVE&venue=bcy')).toEqual(expected.filter((id) => id !== ids[3]));
    });

    it('spells each list query so that it can use its index (migration member_list_indexes), at 20,000 members', async () => {
      // 20,000 rows of another edition written by SQL (names of 40 families, 20 venues, 12 areas, skills and languages
      // of uneven shares), analysed, as the planner sees a loaded edition.
      const edition = 'PLANS';
      await pg.query(
        `INSERT INTO member (id, edition, type, family_name, given_name, organisation, role, functional_area, home_venue, skills, languages, available_dates, created_by)
         SELECT gen_random_uuid(), $1, (ARRAY['volunteer', 'volunteer', 'staff', 'contractor'])[1 + g % 4],
           (ARRAY['MARTIN','BERNARD','DUBOIS','THOMAS','ROBERT','RICHARD','PETIT','DURAND','LEROY','MOREAU','SIMON','LAURENT','LEFEBVRE','MICHEL',
                  'GARCIA','DAVID','BERTRAND','ROUX','VINCENT','FOURNIER','MOREL','GIRARD','ANDRE','LEFEVRE','MERCIER','DUPONT','LAMBERT','BONNET',
                  'FRANCOIS','MARTINEZ','Smith','Jones','Muller','Rossi','Sato','Wang','Kim','Nguyen','Silva','Kowalski'])[1 + g % 40] || '-' || g,
           'Ann', 'PARIS2024', 'Host', (ARRAY['VEN','MED','TEC','TRA','SEC','SPT','PRS','CER','LOG','ACR','FNB','CLN'])[1 + g % 12],
           'V' || (g % 20), CASE WHEN g % 500 = 0 THEN ARRAY['sign-language'] ELSE ARRAY['customer-service'] END,
           CASE WHEN g % 600 = 0 THEN ARRAY['ja'] ELSE ARRAY['fr'] END, '{}', 'plans'
         FROM generate_series(1, 20000) AS g`,
        [edition],
      );
      await pg.query('ANALYZE member');
      const plan = async (query: Parameters<typeof memberListSql>[1], after?: [string, string, string]) => {
        const sql = memberListSql(edition, query, after);
        return (await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql.text}`, sql.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      const q = { limit: 100 } as const;
      // Name order from a cursor: a range of the name index, read in its order (no sort).
      const page = await plan(q, ['MARTIN', 'Ann', '00000000-0000-4000-8000-000000000000']);
      expect(page).toMatch(/Index (Only )?Scan using member_edition_family_name_given_name_id_idx/);
      expect(page).toMatch(/ROW\(family_name, given_name, id\) > ROW/);
      expect(page).not.toMatch(/Sort/);
      const venueArea = await plan({ ...q, venue: 'V7', functionalArea: 'MED' });
      expect(venueArea).toMatch(/Index (Only )?Scan using member_edition_home_venue_functional_area_family_name_given_idx/);
      expect(venueArea).not.toMatch(/Sort/);
      // A name prefix: a range of the expression index (whatever the case typed), its matches sorted.
      const prefix = await plan({ ...q, name: 'Kow' });
      expect(prefix).toMatch(/Index Scan on member_name_prefix_idx|Index Scan using member_name_prefix_idx/);
      expect(prefix).toMatch(/lower\(family_name\) ~>=~ 'kow'::text/);
      // A rare skill or language (0.2%): a GIN lookup.
      expect(await plan({ ...q, skill: 'sign-language' })).toMatch(/Bitmap Index Scan on member_skills_idx/);
      expect(await plan({ ...q, language: 'ja' })).toMatch(/Bitmap Index Scan on member_languages_idx/);
      await pg.query('DELETE FROM member WHERE edition = $1', [edition]);
    });
  });
});
