/**
 * Shifts, rule sets and assignments (docs/workforce-api.md), against real PostgreSQL and NATS: shifts in the venue's
 * local time (DST gaps and overlaps refused naming the field), the filled count, headcount and versions, each rule
 * violation reaching the API as 422 with its numbers, two supervisors racing for the last place (exactly one wins),
 * venue-limited supervisors (404 elsewhere), cancellations and publishing with their assignment.changed events.
 */
import { assignmentStateSchema } from '@podium/contracts';
import { Client } from 'pg';

import { type Harness, startWorkforce } from '../test-support/harness';
import { eventsOf, memberBody } from '../test-support/people';

const EDITION = 'OG2024';
const base = `/v1/editions/${EDITION}`;
const ASSIGNMENT_CHANGED = `oms.workforce.v1.assignment.${EDITION}.changed`;
const DAY = '2030-08-02';

type Body = Record<string, unknown>;

describe('workforce: shifts, rule sets and assignments', () => {
  let h: Harness;
  let pg: Client;
  let manager: string;
  let supervisor: string;
  let otherSupervisor: string;
  let aqcSupervisor: string;
  let cards = 0;

  const call = async (method: string, path: string, json?: unknown, token = manager) => {
    const res = await h.request(`${base}${path}`, { method, json, token });
    return { status: res.status, body: (await res.json()) as Body };
  };
  /** A member (staff unless said) holding an active card for every venue of the summer of 2030, unless `card` is false. */
  const member = async (over: Body = {}, card = true): Promise<string> => {
    const res = await call('POST', '/members', memberBody(over));
    expect(res.status).toBe(201);
    const id = res.body['id'] as string;
    if (card) {
      cards += 1;
      await pg.query(
        `INSERT INTO member_card (card_number, edition, holder, member_id, status, venues, zones, valid_from, valid_to, version, updated_at)
         VALUES ($1, $2, gen_random_uuid(), $3, 'active', '{ALL}', '{1,2}', '2030-07-01T00:00Z', '2030-09-30T00:00Z', 1, now())`,
        [`${EDITION}-${String(cards).padStart(6, '0')}`, EDITION, id],
      );
    }
    return id;
  };
  const shift = async (over: Body = {}): Promise<Body> => {
    const res = await call('POST', '/shifts', { venue: 'STA', functionalArea: 'VEN', role: 'Usher', start: `${DAY}T06:00`, end: `${DAY}T14:00`, headcount: 3, ...over });
    expect(res.status).toBe(201);
    return res.body;
  };
  const assign = (shiftId: unknown, memberId: string, token = supervisor) => call('POST', `/shifts/${shiftId as string}/assignments`, { memberId }, token);

  beforeAll(async () => {
    h = await startWorkforce();
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    manager = await h.token(['workforce-manager'], { sub: 'mgr-1' });
    supervisor = await h.token(['workforce-supervisor'], { sub: 'sup-1' });
    otherSupervisor = await h.token(['workforce-supervisor'], { sub: 'sup-2' });
    aqcSupervisor = await h.token(['workforce-supervisor'], { sub: 'sup-aqc', venues: ['aqc'] });
    for (const [code, timeZone] of [
      ['STA', 'Europe/Paris'],
      ['AQC', 'Europe/Paris'],
      ['TEA', 'Pacific/Tahiti'],
    ]) {
      expect((await call('PUT', `/venues/${code}`, { name: code, timeZone })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  describe('shifts', () => {
    it("resolves local times in the venue's zone and answers both UTC and local", async () => {
      const paris = await shift();
      expect(paris).toMatchObject({ start: '2030-08-02T04:00:00.000Z', end: '2030-08-02T12:00:00.000Z', startLocal: '2030-08-02T06:00:00+02:00', localDate: DAY, status: 'draft', filled: 0, timeZone: 'Europe/Paris' });
      const tahiti = await shift({ venue: 'tea', start: `${DAY}T06:00`, end: `${DAY}T12:00` });
      expect(tahiti).toMatchObject({ venue: 'TEA', start: '2030-08-02T16:00:00.000Z', startLocal: '2030-08-02T06:00:00-10:00', localDate: DAY });
    });

    it('refuses a DST gap or overlap naming the field, an unknown venue naming it, a reversed span', async () => {
      const gap = await call('POST', '/shifts', { venue: 'STA', functionalArea: 'VEN', role: 'Usher', start: '2030-03-31T02:30', end: '2030-03-31T08:00', headcount: 1 });
      expect(gap.status).toBe(400);
      expect(gap.body['errors']).toEqual([{ field: 'body.start', message: expect.stringMatching(/does not exist in Europe\/Paris/) }]);
      const overlap = await call('POST', '/shifts', { venue: 'STA', functionalArea: 'VEN', role: 'Usher', start: '2030-10-26T22:00', end: '2030-10-27T02:30', headcount: 1 });
      expect(overlap.status).toBe(400);
      expect(overlap.body['errors']).toEqual([{ field: 'body.end', message: expect.stringMatching(/ambiguous/) }]);
      const unknown = await call('POST', '/shifts', { venue: 'XYZ', functionalArea: 'VEN', role: 'Usher', start: `${DAY}T06:00`, end: `${DAY}T08:00`, headcount: 1 });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ type: 'https://podium.dev/problems/unknown-venue', errors: [{ field: 'body.venue' }] });
      const reversed = await call('POST', '/shifts', { venue: 'STA', functionalArea: 'VEN', role: 'Usher', start: `${DAY}T08:00`, end: `${DAY}T06:00`, headcount: 1 });
      expect(reversed.body['errors']).toEqual([{ field: 'body.end', message: 'must be after start' }]);
      expect((await call('POST', '/shifts', { venue: 'STA' }, supervisor)).status).toBe(403);
    });

    it('loads shifts in bulk with a report per row and lists them by day and venue with their filled count', async () => {
      const day = '2030-08-20';
      const res = await call('POST', '/shifts/bulk', {
        shifts: [
          { venue: 'AQC', functionalArea: 'MED', role: 'Medic', start: `${day}T07:00`, end: `${day}T15:00`, headcount: 2 },
          { venue: 'NOPE', functionalArea: 'MED', role: 'Medic', start: `${day}T07:00`, end: `${day}T15:00`, headcount: 2 },
          { venue: 'AQC', functionalArea: 'MED', role: 'Medic', start: `${day}T15:00`, end: `${day}T14:00`, headcount: 2 },
          { venue: 'AQC', functionalArea: 'VEN', role: 'Host', start: `${day}T09:00`, end: `${day}T17:00`, headcount: 1 },
        ],
      });
      expect(res.body).toMatchObject({ created: 2, refused: 2 });
      expect(res.body['rows']).toEqual([
        { index: 0, status: 'created', id: expect.any(String) },
        { index: 1, status: 'refused', reason: 'unknown-venue', errors: [{ field: 'shifts[1].venue', message: expect.any(String) }] },
        { index: 2, status: 'refused', reason: 'invalid', errors: [{ field: 'shifts[2].end', message: 'must be after start' }] },
        { index: 3, status: 'created', id: expect.any(String) },
      ]);
      const medic = (res.body['rows'] as { id: string }[])[0]!.id;
      expect((await assign(medic, await member({ skills: [] }))).status).toBe(201);
      const list = await call('GET', `/shifts?localDate=${day}&venue=aqc`, undefined, supervisor);
      expect((list.body['items'] as Body[]).map((s) => [s['role'], s['filled'], s['headcount']])).toEqual([
        ['Medic', 1, 2],
        ['Host', 0, 1],
      ]);
      expect(((await call('GET', `/shifts?localDate=${day}&functionalArea=VEN`)).body['items'] as Body[]).map((s) => s['role'])).toEqual(['Host']);
      const page = await call('GET', `/shifts?localDate=${day}&limit=1`);
      expect((page.body['items'] as Body[]).map((s) => s['role'])).toEqual(['Medic']);
      const next = await call('GET', `/shifts?localDate=${day}&limit=1&cursor=${page.body['nextCursor'] as string}`);
      expect((next.body['items'] as Body[]).map((s) => s['role'])).toEqual(['Host']);
    });

    it('changes a shift at its version: 409 stale-version, 409 headcount below the assigned; moved times republish its assignments', async () => {
      const s = await shift({ start: '2030-08-10T06:00', end: '2030-08-10T12:00', headcount: 2 });
      const a = await assign(s['id'], await member());
      expect(a.status).toBe(201);
      await assign(s['id'], await member());
      const below = await call('PATCH', `/shifts/${s['id'] as string}`, { version: 1, headcount: 1 });
      expect(below.status).toBe(409);
      expect(below.body).toMatchObject({ type: 'https://podium.dev/problems/headcount-below-assigned', assigned: 2 });
      const moved = await call('PATCH', `/shifts/${s['id'] as string}`, { version: 1, start: '2030-08-10T07:00' });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ start: '2030-08-10T05:00:00.000Z', end: '2030-08-10T10:00:00.000Z', version: 2, filled: 2 });
      const stale = await call('PATCH', `/shifts/${s['id'] as string}`, { version: 1, headcount: 5 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ type: 'https://podium.dev/problems/stale-version', currentVersion: 2 });
      const events = await eventsOf(h, ASSIGNMENT_CHANGED, a.body['id'] as string, 2);
      expect(events[1]!.data).toMatchObject({ start: '2030-08-10T05:00:00.000Z', status: 'assigned', version: 2 });
      const gap = await call('PATCH', `/shifts/${s['id'] as string}`, { version: 2, end: '2030-08-10T05:00' });
      expect(gap.body['errors']).toEqual([{ field: 'body.end', message: 'must be after start' }]);
    });

    it("re-checks a changed shift's live assignments: one now breaking a rule is flagged rule-violated (flags API), the flag cleared once valid again; an accreditation flag is left alone", async () => {
      const [m1, m2] = [await member(), await member()];
      const early = await shift({ start: '2030-08-14T06:00', end: '2030-08-14T12:00' });
      const late = await shift({ venue: 'AQC', start: '2030-08-14T23:00', end: '2030-08-15T05:00' });
      const lateId = late['id'] as string;
      expect((await assign(early['id'], m1)).status).toBe(201);
      const a1 = (await assign(lateId, m1)).body['id'] as string; // 11 h of rest after the early shift
      const a2 = (await assign(lateId, m2)).body['id'] as string;
      const flagOf = async (id: string) => (await pg.query<{ flag: unknown }>('SELECT flag FROM assignment WHERE id = $1', [id])).rows[0]?.flag;

      // Three hours earlier: m1 rests 8 h (minimum 10 h); m2 has no other shift.
      const moved = await call('PATCH', `/shifts/${lateId}`, { version: 1, start: '2030-08-14T20:00', end: '2030-08-15T02:00' });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ start: '2030-08-14T18:00:00.000Z', filled: 2, flaggedAssignments: 1, unflaggedAssignments: 0 });
      const minRest = { rule: 'min-rest', message: 'rest between shifts 8 h, minimum 10 h', actual: 8, limit: 10, shiftId: early['id'] };
      expect(await flagOf(a1)).toEqual({ kind: 'rule-violated', violations: [minRest], at: expect.any(String) });
      expect(await flagOf(a2)).toBeNull();
      const history = await pg.query("SELECT action, by, reason FROM history_entry WHERE entity = 'assignment' AND entity_id = $1 AND action = 'flag'", [a1]);
      expect(history.rows).toEqual([{ action: 'flag', by: 'mgr-1', reason: "the shift's change breaks min-rest" }]);

      // The flags API lists it (kind rule-violated), within the token's venues.
      const flags = async (query: string, token = supervisor) => (await call('GET', `/flags${query}`, undefined, token)).body['assignments'] as { id: string; flag: unknown }[];
      expect((await flags('?kind=rule-violated')).map((f) => f.id)).toEqual([a1]);
      expect((await flags('?kind=rule-violated', aqcSupervisor)).map((f) => f.id)).toEqual([a1]);
      const staSupervisor = await h.token(['workforce-supervisor'], { sub: 'sup-sta', venues: ['sta'] });
      expect(await flags('?kind=rule-violated', staSupervisor)).toEqual([]);

      // A required skill neither has: both break it; m2's accreditation flag stays (it says more) and is not counted.
      const suspended = { kind: 'accreditation-suspended', cardNumber: 'X-1', at: '2030-08-01T00:00:00.000Z', suggestions: [] };
      await pg.query('UPDATE assignment SET flag = $2 WHERE id = $1', [a2, JSON.stringify(suspended)]);
      const skill = await call('PATCH', `/shifts/${lateId}`, { version: 2, requiredSkills: ['sign-language'] });
      expect(skill.body).toMatchObject({ flaggedAssignments: 1, unflaggedAssignments: 0 });
      expect(await flagOf(a1)).toMatchObject({ kind: 'rule-violated', violations: [{ rule: 'required-skill', message: 'missing skill sign-language', limit: 'sign-language' }, minRest] });
      expect(await flagOf(a2)).toEqual(suspended);

      // Back at its times without the skill: m1 is valid again, its flag goes; the headcount alone re-checks nothing.
      const back = await call('PATCH', `/shifts/${lateId}`, { version: 3, start: '2030-08-14T23:00', end: '2030-08-15T05:00', requiredSkills: [] });
      expect(back.body).toMatchObject({ flaggedAssignments: 0, unflaggedAssignments: 1 });
      expect(await flagOf(a1)).toBeNull();
      expect(await flagOf(a2)).toEqual(suspended);
      expect(await flags('?kind=rule-violated')).toEqual([]);
      expect((await call('PATCH', `/shifts/${lateId}`, { version: 4, headcount: 4 })).body).toMatchObject({ flaggedAssignments: 0, unflaggedAssignments: 0 });
    });
  });

  describe('assignments', () => {
    it('assigns: 201, assignment.changed with the contract payload exactly, a history entry; the roster shows it', async () => {
      const s = await shift({ start: '2030-08-03T06:00', end: '2030-08-03T14:00' });
      const m = await member();
      const res = await call('POST', `/shifts/${s['id'] as string}/assignments`, { memberId: m, reason: 'asked for it' }, supervisor);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ shiftId: s['id'], memberId: m, status: 'assigned', source: 'manual', published: false, version: 1 });
      const [event] = await eventsOf(h, ASSIGNMENT_CHANGED, res.body['id'] as string);
      expect(assignmentStateSchema.strict().parse(event!.data)).toEqual({
        id: res.body['id'],
        edition: EDITION,
        memberId: m,
        shiftId: s['id'],
        venue: 'STA',
        functionalArea: 'VEN',
        role: 'Usher',
        start: '2030-08-03T04:00:00.000Z',
        end: '2030-08-03T12:00:00.000Z',
        status: 'assigned',
        cardNumber: null,
        version: 1,
        updatedAt: res.body['updatedAt'],
      });
      const history = await pg.query(`SELECT action, by, reason FROM history_entry WHERE entity = 'assignment' AND entity_id = $1`, [res.body['id']]);
      expect(history.rows).toEqual([{ action: 'assign', by: 'sup-1', reason: 'asked for it' }]);
      const roster = await call('GET', `/members/${m}/assignments`, undefined, supervisor);
      expect(roster.body['items']).toEqual([expect.objectContaining({ id: res.body['id'], shift: expect.objectContaining({ startLocal: '2030-08-03T06:00:00+02:00', venue: 'STA' }) })]);
      expect((await assign(s['id'], m)).body).toMatchObject({ type: 'https://podium.dev/problems/already-assigned' });
    });

    it('refuses a rest shorter than the minimum: 422 rule-violated min-rest with its numbers', async () => {
      const m = await member();
      const early = await shift({ start: '2030-08-05T06:00', end: '2030-08-05T14:00' });
      const late = await shift({ start: '2030-08-05T22:00', end: '2030-08-06T04:00' });
      expect((await assign(early['id'], m)).status).toBe(201);
      const res = await assign(late['id'], m);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ type: 'https://podium.dev/problems/rule-violated', detail: 'rest between shifts 8 h, minimum 10 h' });
      expect(res.body['violations']).toEqual([{ rule: 'min-rest', message: 'rest between shifts 8 h, minimum 10 h', actual: 8, limit: 10, shiftId: early['id'] }]);
    });

    it('refuses an overlap: 422 no-overlap naming the other shift', async () => {
      const m = await member();
      const first = await shift({ start: '2030-08-07T06:00', end: '2030-08-07T14:00' });
      const second = await shift({ venue: 'AQC', start: '2030-08-07T12:00', end: '2030-08-07T18:00' });
      expect((await assign(first['id'], m)).status).toBe(201);
      const res = await assign(second['id'], m);
      expect(res.status).toBe(422);
      expect(res.body['violations']).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'no-overlap', shiftId: first['id'] })]));
    });

    it('refuses a missing skill and language, a missing accreditation, an over-long shift, an unavailable day', async () => {
      const noSkill = await member({ skills: ['driving'], languages: ['fr'] });
      const medic = await shift({ start: '2030-08-12T06:00', end: '2030-08-12T12:00', requiredSkills: ['first-aid'], requiredLanguages: ['ja'] });
      const skill = await assign(medic['id'], noSkill);
      expect(skill.status).toBe(422);
      expect(skill.body['violations']).toEqual([
        { rule: 'required-skill', message: 'missing skill first-aid', limit: 'first-aid' },
        { rule: 'required-language', message: 'missing language ja', limit: 'ja' },
      ]);

      const noCard = await member({}, false);
      const plain = await shift({ start: '2030-08-13T06:00', end: '2030-08-13T12:00' });
      const card = await assign(plain['id'], noCard);
      expect(card.status).toBe(422);
      expect(card.body['violations']).toEqual([{ rule: 'accreditation', message: 'no accreditation', actual: 'none', limit: 'active' }]);

      const volunteer = await member({ type: 'volunteer', availableDates: ['2030-08-14'] });
      const long = await shift({ start: '2030-08-15T06:00', end: '2030-08-15T17:00' });
      const res = await assign(long['id'], volunteer);
      expect(res.status).toBe(422);
      expect(res.body['violations']).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ rule: 'max-shift-length', message: 'shift 11 h, maximum 10 h', actual: 11, limit: 10 }),
          expect.objectContaining({ rule: 'availability', actual: '2030-08-15' }),
        ]),
      );
    });

    it('lets exactly one of two supervisors racing for the last place win; the other gets 409 shift-full', async () => {
      const s = await shift({ start: '2030-08-16T06:00', end: '2030-08-16T12:00', headcount: 1 });
      const [a, b] = [await member(), await member()];
      const results = await Promise.all([assign(s['id'], a, supervisor), assign(s['id'], b, otherSupervisor)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)?.body).toMatchObject({ type: 'https://podium.dev/problems/shift-full', headcount: 1 });
      const rows = await pg.query(`SELECT count(*)::int AS n FROM assignment WHERE shift_id = $1 AND status = 'assigned'`, [s['id']]);
      expect(rows.rows[0].n).toBe(1);
      expect((await call('GET', `/shifts/${s['id'] as string}`)).body).toMatchObject({ filled: 1, headcount: 1 });
    });

    it("answers 404 to a venue-limited supervisor for another venue's shift and assignment, and lets it assign at its own", async () => {
      const sta = await shift({ start: '2030-08-17T06:00', end: '2030-08-17T12:00' });
      const aqc = await shift({ venue: 'AQC', start: '2030-08-18T06:00', end: '2030-08-18T12:00' });
      const m = await member();
      expect((await call('GET', `/shifts/${sta['id'] as string}`, undefined, aqcSupervisor)).status).toBe(404);
      const refused = await assign(sta['id'], m, aqcSupervisor);
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ type: 'https://podium.dev/problems/shift-not-found' });
      expect((await assign(aqc['id'], m, aqcSupervisor)).status).toBe(201);
      const elsewhere = await assign(sta['id'], m);
      expect(elsewhere.status).toBe(201);
      expect((await call('POST', `/assignments/${elsewhere.body['id'] as string}/cancel`, { reason: 'x' }, aqcSupervisor)).status).toBe(404);
      const listed = await call('GET', '/shifts?venue=STA', undefined, aqcSupervisor);
      expect(listed.body['items']).toEqual([]);
      const all = (await call('GET', '/shifts?localDate=2030-08-17', undefined, aqcSupervisor)).body['items'] as Body[];
      expect(all).toEqual([]);
      const roster = (await call('GET', `/members/${m}/assignments`, undefined, aqcSupervisor)).body['items'] as Body[];
      expect(roster.map((r) => r['shiftId'])).toEqual([aqc['id']]);
    });

    it('cancels an assignment with a reason (event), frees its place; cancelling a shift cancels its assignments', async () => {
      const s = await shift({ start: '2030-08-21T06:00', end: '2030-08-21T12:00', headcount: 1 });
      const first = await assign(s['id'], await member());
      expect((await call('POST', `/assignments/${first.body['id'] as string}/cancel`, {}, supervisor)).status).toBe(400);
      const cancelled = await call('POST', `/assignments/${first.body['id'] as string}/cancel`, { reason: 'sick' }, supervisor);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 2 });
      expect((await eventsOf(h, ASSIGNMENT_CHANGED, first.body['id'] as string, 2))[1]!.data).toMatchObject({ status: 'cancelled', version: 2 });
      expect((await call('POST', `/assignments/${first.body['id'] as string}/cancel`, { reason: 'again' }, supervisor)).status).toBe(409);
      const second = await assign(s['id'], await member());
      expect(second.status).toBe(201);
      const gone = await call('POST', `/shifts/${s['id'] as string}/cancel`, { reason: 'session cancelled' });
      expect(gone.body).toMatchObject({ status: 'cancelled', cancelledAssignments: 1, filled: 0 });
      expect((await eventsOf(h, ASSIGNMENT_CHANGED, second.body['id'] as string, 2))[1]!.data).toMatchObject({ status: 'cancelled' });
      expect((await assign(s['id'], await member())).body).toMatchObject({ type: 'https://podium.dev/problems/shift-cancelled' });
    });

    it('publishes the draft shifts of a day and marks their assignments published', async () => {
      const day = '2030-08-25';
      const s = await shift({ start: `${day}T06:00`, end: `${day}T12:00` });
      await shift({ venue: 'AQC', start: `${day}T06:00`, end: `${day}T12:00` });
      const a = await assign(s['id'], await member());
      const res = await call('POST', '/shifts/publish', { localDate: day, venue: 'STA' });
      expect(res.body).toEqual({ shifts: 1, assignments: 1 });
      const after = await call('GET', `/shifts/${s['id'] as string}`);
      expect(after.body).toMatchObject({ status: 'published', assignments: [expect.objectContaining({ id: a.body['id'], published: true })] });
      expect((await call('POST', '/shifts/publish', { localDate: day })).body).toEqual({ shifts: 1, assignments: 0 });
      expect((await call('POST', '/shifts/publish', { localDate: day }, supervisor)).status).toBe(403);
    });
  });

  describe('rule sets', () => {
    it("says the defaults apply until the edition has its own; a PUT is validated and then decides", async () => {
      const before = await call('GET', '/rules/staff', undefined, supervisor);
      expect(before.body).toMatchObject({ memberType: 'staff', source: 'default', rules: { minRestHours: 10 }, version: null });
      const bad = await call('PUT', '/rules/staff', { ...(before.body['rules'] as Body), minRestHours: -1, extra: true });
      expect(bad.status).toBe(400);
      expect((bad.body['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['body.extra', 'body.minRestHours']);
      expect((await call('PUT', '/rules/staff', before.body['rules'], supervisor)).status).toBe(403);
      expect((await call('GET', '/rules/robots')).status).toBe(400);

      const m = await member();
      const early = await shift({ start: '2030-08-27T06:00', end: '2030-08-27T14:00' });
      const late = await shift({ start: '2030-08-27T22:00', end: '2030-08-28T04:00' });
      expect((await assign(early['id'], m)).status).toBe(201);
      expect((await assign(late['id'], m)).status).toBe(422);
      const put = await call('PUT', '/rules/staff', { ...(before.body['rules'] as Body), minRestHours: 8 });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ source: 'edition', rules: { minRestHours: 8 }, version: 1, updatedBy: 'mgr-1' });
      expect((await assign(late['id'], m)).status).toBe(201);
    });
  });
});
