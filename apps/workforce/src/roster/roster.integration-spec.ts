/**
 * Roster plans (docs/workforce-roster.md#api) against real PostgreSQL and NATS: a plan fills the day's shifts with
 * every hard rule held (re-checked here from the rows with the rules engine), says why a shift stays unfilled, writes
 * assignment.changed events; published, then re-planned after a change, it keeps the valid published assignments and
 * counts the one it moved; a concurrent manual assignment never pushes a shift over its headcount.
 */
import { assignmentStateSchema } from '@podium/contracts';
import { Client } from 'pg';

import { checkAssignment, DEFAULT_RULES } from '../rules/rules.logic';
import type { MemberFacts, MemberType, ShiftFacts } from '../rules/rules.types';
import { type Harness, startWorkforce } from '../test-support/harness';
import { eventsOf, memberBody } from '../test-support/people';

const EDITION = 'OG2024';
const base = `/v1/editions/${EDITION}`;
const ASSIGNMENT_CHANGED = `oms.workforce.v1.assignment.${EDITION}.changed`;
const DAY = '2030-08-05';
const BEFORE = '2030-08-04';

type Body = Record<string, unknown>;

describe('workforce: roster plans', () => {
  let h: Harness;
  let pg: Client;
  let manager: string;
  let supervisor: string;
  let cards = 0;

  const call = async (method: string, path: string, json?: unknown, token = manager) => {
    const res = await h.request(`${base}${path}`, { method, json, token });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const member = async (over: Body = {}): Promise<string> => {
    const res = await call('POST', '/members', memberBody({ skills: [], ...over }));
    expect(res.status).toBe(201);
    const id = res.body['id'] as string;
    cards += 1;
    await pg.query(
      `INSERT INTO member_card (card_number, edition, holder, member_id, status, venues, zones, valid_from, valid_to, version, updated_at)
       VALUES ($1, $2, gen_random_uuid(), $3, 'active', '{ALL}', '{1}', '2030-07-01T00:00Z', '2030-09-30T00:00Z', 1, now())`,
      [`RST-${String(cards).padStart(6, '0')}`, EDITION, id],
    );
    return id;
  };
  const shift = async (over: Body): Promise<string> => {
    const res = await call('POST', '/shifts', { venue: 'STA', functionalArea: 'VEN', role: 'Usher', headcount: 2, ...over });
    expect(res.status).toBe(201);
    return res.body['id'] as string;
  };

  /** Every live assignment of the edition, re-checked from the rows with the rules engine (default rules). */
  async function assertHardRulesHold(): Promise<void> {
    const { rows } = await pg.query<{ id: string; member_id: string; shift_id: string }>(
      `SELECT id, member_id, shift_id FROM assignment WHERE edition = $1 AND status IN ('assigned', 'checked-in', 'checked-out')`,
      [EDITION],
    );
    const shifts = new Map(
      (await pg.query(`SELECT * FROM shift WHERE edition = $1`, [EDITION])).rows.map((s: Record<string, unknown>) => [
        s['id'] as string,
        {
          facts: {
            id: s['id'] as string,
            venue: s['venue'] as string,
            functionalArea: s['functional_area'] as string,
            start: (s['starts_at'] as Date).getTime(),
            end: (s['ends_at'] as Date).getTime(),
            localDate: s['local_date'] as string,
            requiredSkills: s['required_skills'] as string[],
            requiredLanguages: s['required_languages'] as string[],
          } satisfies ShiftFacts,
          headcount: s['headcount'] as number,
        },
      ]),
    );
    const members = new Map<string, MemberFacts>();
    for (const m of (await pg.query(`SELECT * FROM member WHERE edition = $1`, [EDITION])).rows as Record<string, unknown>[]) {
      const memberCards = (await pg.query(`SELECT * FROM member_card WHERE member_id = $1`, [m['id']])).rows as Record<string, unknown>[];
      members.set(m['id'] as string, {
        id: m['id'] as string,
        type: m['type'] as MemberType,
        status: m['status'] as 'active' | 'released',
        functionalArea: m['functional_area'] as string,
        homeVenue: m['home_venue'] as string,
        skills: m['skills'] as string[],
        languages: m['languages'] as string[],
        availableDates: m['available_dates'] as string[],
        cards: memberCards.map((c) => ({
          cardNumber: c['card_number'] as string,
          status: c['status'] as 'active',
          venues: c['venues'] as string[],
          validFrom: (c['valid_from'] as Date).getTime(),
          validTo: (c['valid_to'] as Date).getTime(),
        })),
        preferences: {},
      });
    }
    const perShift = new Map<string, number>();
    for (const a of rows) perShift.set(a.shift_id, (perShift.get(a.shift_id) ?? 0) + 1);
    for (const [id, n] of perShift) expect({ id, n: n <= (shifts.get(id)?.headcount ?? 0) }).toEqual({ id, n: true });
    for (const a of rows) {
      const m = members.get(a.member_id) as MemberFacts;
      const others = rows.filter((o) => o.member_id === a.member_id && o.id !== a.id).map((o) => shifts.get(o.shift_id)?.facts as ShiftFacts);
      const violations = checkAssignment(DEFAULT_RULES[m.type], m, shifts.get(a.shift_id)?.facts as ShiftFacts, others);
      expect({ assignment: a.id, violations }).toEqual({ assignment: a.id, violations: [] });
    }
  }

  beforeAll(async () => {
    h = await startWorkforce();
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    manager = await h.token(['workforce-manager'], { sub: 'mgr-roster' });
    supervisor = await h.token(['workforce-supervisor'], { sub: 'sup-roster' });
    for (const code of ['STA', 'AQC']) expect((await call('PUT', `/venues/${code}`, { name: code, timeZone: 'Europe/Paris' })).status).toBe(200);
  });
  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  it('plans a day with every hard rule held, says why a shift stays unfilled, publishes, and re-plans keeping valid published assignments', async () => {
    const morning = await shift({ start: `${DAY}T06:00`, end: `${DAY}T14:00` });
    const evening = await shift({ start: `${DAY}T16:00`, end: `${DAY}T22:00` });
    const signing = await shift({ venue: 'AQC', start: `${DAY}T07:00`, end: `${DAY}T15:00`, requiredSkills: ['sign-language'] });
    const a = await member();
    await member();
    await member();
    await member({ type: 'contractor', organisation: 'ACME' });
    // r worked until 22:00 the evening before (a supervisor's assignment): 8 h of rest before the morning shift.
    const r = await member();
    const lastNight = await shift({ start: `${BEFORE}T14:00`, end: `${BEFORE}T22:00`, headcount: 1 });
    expect((await call('POST', `/shifts/${lastNight}/assignments`, { memberId: r }, supervisor)).status).toBe(201);

    const first = await call('POST', '/roster/plans', { localDate: DAY });
    expect(first.status).toBe(201);
    const plan = first.body as {
      planId: string;
      counts: Body;
      added: { assignmentId: string; shiftId: string; memberId: string }[];
      unfilled: { shiftId: string; open: number; message: string; reasons: Body[] }[];
      metrics: Body;
    };
    expect(plan.counts).toEqual({ added: 4, removed: 0, kept: 0, keptPublished: 0, moved: 0 });
    expect(plan.added.filter((x) => x.shiftId === morning).map((x) => x.memberId)).not.toContain(r);
    expect(plan.added.filter((x) => x.shiftId === morning)).toHaveLength(2);
    expect(plan.added.filter((x) => x.shiftId === evening)).toHaveLength(2);
    expect(plan.unfilled).toEqual([
      expect.objectContaining({ shiftId: signing, open: 2, message: 'no eligible member: 5 lack skill sign-language, 1 would break min-rest' }),
    ]);
    expect(plan.metrics).toMatchObject({ places: 6, filled: 4, filledShare: 0.6667 });
    await assertHardRulesHold();
    const { rows: written } = await pg.query(`SELECT source, plan_id, published, created_by FROM assignment WHERE plan_id = $1`, [plan.planId]);
    expect(written).toHaveLength(4);
    expect(written.every((w) => w.source === 'roster' && w.published === false && w.created_by === 'mgr-roster')).toBe(true);
    const [event] = await eventsOf(h, ASSIGNMENT_CHANGED, plan.added[0]!.assignmentId);
    expect(assignmentStateSchema.strict().parse(event!.data)).toMatchObject({ status: 'assigned', version: 1, shiftId: plan.added[0]!.shiftId });

    // Published: each assignment announced (version 2 event).
    const published = await call('POST', `/roster/plans/${plan.planId}/publish`);
    expect(published).toEqual({ status: 200, body: { planId: plan.planId, published: 4 } });
    const events = await eventsOf(h, ASSIGNMENT_CHANGED, plan.added[1]!.assignmentId, 2);
    expect(events.map((e) => e.data['version'])).toEqual([1, 2]);

    // A change: a's card suspended (as accreditation's event would), a new member e. The re-plan keeps the three
    // published assignments still valid, moves a off its shift, and puts e in the place.
    await pg.query(`UPDATE member_card SET status = 'suspended' WHERE member_id = $1`, [a]);
    const e = await member();
    const second = await call('POST', '/roster/plans', { localDate: DAY });
    expect(second.status).toBe(201);
    const replan = second.body as typeof plan & { removed: Body[]; kept: Body[] };
    const aPlace = plan.added.find((x) => x.memberId === a);
    expect(aPlace).toBeDefined();
    expect(replan.counts).toEqual({ added: 1, removed: 1, kept: 3, keptPublished: 3, moved: 1 });
    expect(replan.removed).toEqual([
      expect.objectContaining({ assignmentId: aPlace!.assignmentId, published: true, reason: 'rule-violated', violations: [expect.objectContaining({ rule: 'accreditation' })] }),
    ]);
    expect(replan.added).toEqual([expect.objectContaining({ shiftId: aPlace!.shiftId, memberId: e })]);
    expect(new Set(replan.kept.map((k) => k['assignmentId']))).toEqual(new Set(plan.added.filter((x) => x.memberId !== a).map((x) => x.assignmentId)));
    const { rows: moved } = await pg.query(`SELECT status, version FROM assignment WHERE id = $1`, [aPlace!.assignmentId]);
    expect(moved).toEqual([{ status: 'cancelled', version: 3 }]);
    await assertHardRulesHold();

    // The first plan was replaced: publishing it is a 409; the new one publishes its one new assignment.
    expect((await call('POST', `/roster/plans/${plan.planId}/publish`)).body).toMatchObject({ type: 'https://podium.dev/problems/plan-superseded' });
    expect((await call('POST', `/roster/plans/${replan.planId}/publish`)).body).toEqual({ planId: replan.planId, published: 1 });

    // A third plan with nothing changed keeps everything as it is.
    const third = await call('POST', '/roster/plans', { localDate: DAY });
    expect((third.body as typeof plan).counts).toEqual({ added: 0, removed: 0, kept: 4, keptPublished: 4, moved: 0 });
  });

  it('never lets a concurrent manual assignment push a shift over its headcount', async () => {
    const day = '2030-08-12';
    const only = await shift({ start: `${day}T09:00`, end: `${day}T17:00`, headcount: 1 });
    const [x, y] = [await member({ availableDates: [day] }), await member({ availableDates: [day] })];
    for (let round = 0; round < 3; round++) {
      const [planned, manual] = await Promise.all([
        call('POST', '/roster/plans', { localDate: day }),
        call('POST', `/shifts/${only}/assignments`, { memberId: round % 2 === 0 ? x : y }, supervisor),
      ]);
      expect(planned.status).toBe(201);
      expect([201, 409]).toContain(manual.status);
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM assignment WHERE shift_id = $1 AND status = 'assigned'`, [only]);
      expect(rows[0].n).toBe(1);
      await pg.query(`UPDATE assignment SET status = 'cancelled' WHERE shift_id = $1`, [only]);
    }
  });

  it('refuses bad input, unknown plans and other roles', async () => {
    expect((await call('POST', '/roster/plans', { localDate: '2030-02-30' })).body).toMatchObject({ status: 400, errors: [{ field: 'body.localDate' }] });
    expect((await call('POST', '/roster/plans', { localDate: DAY, extra: 1 })).body).toMatchObject({ status: 400, errors: [{ field: 'body.extra', message: 'Unknown field' }] });
    expect((await call('POST', '/roster/plans', { localDate: DAY }, supervisor)).status).toBe(403);
    expect((await call('POST', '/roster/plans/6a1f2e3d-4c5b-4a69-8877-665544332211/publish')).status).toBe(404);
    expect((await call('POST', '/roster/plans/not-a-uuid/publish')).body).toMatchObject({ status: 400, errors: [{ field: 'path.planId' }] });
    const limited = await h.token(['workforce-manager'], { sub: 'mgr-aqc', venues: ['AQC'] });
    expect((await call('POST', '/roster/plans', { localDate: DAY, venue: 'STA' }, limited)).status).toBe(403);
    // A plan of every venue is not a venue-limited manager's to publish; their own plan covers their venues only.
    const day = '2030-08-19';
    await shift({ start: `${day}T09:00`, end: `${day}T17:00`, headcount: 1 });
    const everywhere = await call('POST', '/roster/plans', { localDate: day });
    expect((await call('POST', `/roster/plans/${everywhere.body['planId'] as string}/publish`, undefined, limited)).status).toBe(404);
    const own = await call('POST', '/roster/plans', { localDate: day }, limited);
    expect(own.body).toMatchObject({ venue: null, metrics: { places: 0 } });
    expect((await call('POST', `/roster/plans/${own.body['planId'] as string}/publish`, undefined, limited)).body).toEqual({ planId: own.body['planId'], published: 0 });
  });
});
