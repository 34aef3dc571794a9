/**
 * On the day (docs/workforce-on-the-day.md), against real PostgreSQL and NATS: check-in by card number (on time, late,
 * refused for each reason), check-out, no-shows (the sweep and a supervisor's), the live view's counts, and the
 * replacements respecting every hard rule. Members, cards, shifts and assignments are written to the service's own
 * database directly (the cards as accreditation's events would leave them); every change under test goes through HTTP.
 */
import { randomUUID } from 'node:crypto';
import { assignmentStateSchema } from '@podium/contracts';
import { waitFor } from '@podium/testing';

import { formatLocal, localDateOf, resolveLocal } from '../common/local-time';
import { PrismaService } from '../database/prisma.service';
import { DEFAULT_RULES } from '../rules/rules.logic';
import { RULES } from '../rules/rules.types';
import { type Harness, startWorkforce } from '../test-support/harness';
import { NoShowSweeper } from './no-show-sweeper';
import { NO_SHOW_SWEEP_BATCH } from './on-the-day.service';
import { onShiftViewSchema, onTheDayAssignmentSchema, replacementsViewSchema } from './on-the-day.dto';

const EDITION = 'OG2024';
const base = `/v1/editions/${EDITION}`;
const ASSIGNMENT_CHANGED = `oms.workforce.v1.assignment.${EDITION}.changed`;
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const PARIS = 'Europe/Paris';

type Json = Record<string, unknown>;

describe('workforce: on the day', () => {
  let h: Harness;
  let db: PrismaService;
  let desk: string;
  let deskAtBer: string;
  let supervisor: string;
  let manager: string;
  const now = Date.now();
  let serial = 0;

  const post = (path: string, json: unknown, token: string) => h.request(`${base}${path}`, { method: 'POST', json, token });
  const body = async (res: Response) => (await res.json()) as Json;

  /** A member of the edition (staff of the OC at STA unless overridden), with an active card granting ALL unless `card` says otherwise. */
  async function member(over: Partial<Parameters<PrismaService['member']['create']>[0]['data']> = {}, card: Partial<{ status: string; venues: string[] }> | null = {}) {
    const n = ++serial;
    const id = randomUUID();
    await db.member.create({
      data: {
        id,
        edition: EDITION,
        type: 'staff',
        familyName: `FAMILY${String(n).padStart(3, '0')}`,
        givenName: `Given${n}`,
        organisation: 'PARIS2024',
        role: 'Venue host',
        functionalArea: 'VEN',
        homeVenue: 'STA',
        skills: ['first-aid'],
        languages: ['fr', 'en'],
        availableDates: [],
        createdBy: 'test',
        ...over,
      },
    });
    const cardNumber = `OG2024-${String(900000 + n)}`;
    if (card) {
      await db.memberCard.create({
        data: {
          cardNumber,
          edition: EDITION,
          holder: randomUUID(),
          memberId: id,
          status: card.status ?? 'active',
          venues: card.venues ?? ['ALL'],
          zones: ['3'],
          validFrom: new Date(now - 30 * DAY),
          validTo: new Date(now + 30 * DAY),
          version: 1,
          updatedAt: new Date(),
        },
      });
    }
    return { id, cardNumber };
  }

  async function shift(venue: string, start: number, hours: number, over: Partial<{ headcount: number; functionalArea: string; requiredSkills: string[]; requiredLanguages: string[] }> = {}) {
    const id = randomUUID();
    await db.shift.create({
      data: {
        id,
        edition: EDITION,
        venue,
        functionalArea: over.functionalArea ?? 'VEN',
        role: 'Venue host',
        startsAt: new Date(start),
        endsAt: new Date(start + hours * H),
        localDate: localDateOf(start, PARIS),
        headcount: over.headcount ?? 4,
        requiredSkills: over.requiredSkills ?? [],
        requiredLanguages: over.requiredLanguages ?? [],
        status: 'published',
        createdBy: 'test',
      },
    });
    return id;
  }

  async function assign(memberId: string, shiftId: string, status = 'assigned', published = true) {
    const id = randomUUID();
    await db.assignment.create({ data: { id, edition: EDITION, shiftId, memberId, status, published, source: 'manual', createdBy: 'test' } });
    return id;
  }

  const statusOf = async (id: string) => (await db.assignment.findUniqueOrThrow({ where: { id } })).status;

  async function eventsOf(id: string, count: number): Promise<Json[]> {
    const found = await waitFor(
      async () => {
        const found = (await h.readStream('WORKFORCE')).filter((m) => m.subject === ASSIGNMENT_CHANGED).map((m) => (m.json as { data: Json }).data).filter((d) => d['id'] === id);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs: 15_000, description: `${count} assignment.changed of ${id}` },
    );
    return found ?? [];
  }

  beforeAll(async () => {
    h = await startWorkforce();
    db = h.app.get(PrismaService);
    desk = await h.token(['workforce-checkin'], { sub: 'desk-sta' });
    deskAtBer = await h.token(['workforce-checkin'], { sub: 'desk-ber', venues: ['BER'] } as Parameters<Harness['token']>[1]);
    supervisor = await h.token(['workforce-supervisor'], { sub: 'sup-1' });
    manager = await h.token(['workforce-manager'], { sub: 'mgr-1' });
    await db.venue.createMany({
      data: [
        { edition: EDITION, code: 'STA', name: 'Stade de France', timeZone: PARIS },
        { edition: EDITION, code: 'BER', name: 'Bercy Arena', timeZone: PARIS },
        { edition: EDITION, code: 'LDA', name: 'Paris La Defense Arena', timeZone: PARIS },
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('check-in and check-out', () => {
    let running: string;
    let onTime: { id: string; cardNumber: string };
    let onTimeAssignment: string;

    beforeAll(async () => {
      running = await shift('STA', now - 5 * MIN, 7);
      onTime = await member();
      onTimeAssignment = await assign(onTime.id, running);
    });

    it('checks in on time: the assignment checked in with its card, in the history, with its event (the contract exactly)', async () => {
      const res = await post('/venues/STA/check-ins', { cardNumber: onTime.cardNumber }, desk);
      expect(res.status).toBe(200);
      const a = await body(res);
      expect(onTheDayAssignmentSchema.strict().parse(a)).toBeTruthy();
      expect(a).toMatchObject({ id: onTimeAssignment, status: 'checked-in', cardNumber: onTime.cardNumber, late: false, minutesLate: 0, venue: 'STA', version: 2 });
      expect(a['startLocal']).toBe(formatLocal(now - 5 * MIN, PARIS));
      expect(a['member']).toEqual({ id: onTime.id, familyName: expect.stringMatching(/^FAMILY/), givenName: expect.any(String) });
      const [event] = await eventsOf(onTimeAssignment, 1);
      expect(assignmentStateSchema.strict().parse(event)).toEqual(expect.objectContaining({ status: 'checked-in', cardNumber: onTime.cardNumber, version: 2 }));
      const history = await db.historyEntry.findMany({ where: { entity: 'assignment', entityId: onTimeAssignment } });
      expect(history).toEqual([expect.objectContaining({ action: 'check-in', by: 'desk-sta', details: expect.objectContaining({ cardNumber: onTime.cardNumber, late: false, from: 'assigned', to: 'checked-in' }) })]);
    });

    it('refuses a second check-in of the same card: 409 already-checked-in', async () => {
      const res = await post('/venues/STA/check-ins', { cardNumber: onTime.cardNumber }, desk);
      expect(res.status).toBe(409);
      expect(await body(res)).toMatchObject({ type: expect.stringMatching(/already-checked-in$/), assignmentId: onTimeAssignment });
    });

    it('answers late with the minutes after the start plus the grace', async () => {
      const started = now - 40 * MIN;
      const s = await shift('STA', started, 6);
      const m = await member();
      const id = await assign(m.id, s);
      const at = new Date(started + 25 * MIN).toISOString();
      const res = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber, at }, desk);
      expect(res.status).toBe(200);
      expect(await body(res)).toMatchObject({ id, status: 'checked-in', late: true, minutesLate: 25, checkedInAt: at });
    });

    it('refuses at another venue: no shift there now (422), and 404 to a desk limited to other venues', async () => {
      const m = await member();
      await assign(m.id, running);
      const wrong = await post('/venues/BER/check-ins', { cardNumber: m.cardNumber }, desk);
      expect(wrong.status).toBe(422);
      expect(await body(wrong)).toMatchObject({ type: expect.stringMatching(/no-shift-now$/), nextShift: null });
      const limited = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber }, deskAtBer);
      expect(limited.status).toBe(404);
      expect(await body(limited)).toMatchObject({ type: expect.stringMatching(/venue-not-found$/) });
      expect(await db.assignment.count({ where: { memberId: m.id, status: 'checked-in' } })).toBe(0);
    });

    it('refuses when no shift is open now, naming the next one at the venue', async () => {
      const m = await member();
      const tomorrow = await shift('STA', now + DAY, 8);
      const next = await assign(m.id, tomorrow);
      const res = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber }, desk);
      expect(res.status).toBe(422);
      expect(await body(res)).toMatchObject({
        type: expect.stringMatching(/no-shift-now$/),
        nextShift: { assignmentId: next, shiftId: tomorrow, start: new Date(now + DAY).toISOString(), startLocal: formatLocal(now + DAY, PARIS) },
      });
      // 90 minutes before the start it opens.
      const soon = await shift('STA', now + 80 * MIN, 4);
      const early = await assign(m.id, soon);
      const ok = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber }, desk);
      expect(ok.status).toBe(200);
      expect(await body(ok)).toMatchObject({ id: early, late: false });
    });

    it.each([
      ['suspended', 'suspended'],
      ['revoked', 'revoked'],
      ['issued', 'issued'],
    ])('refuses a %s card as the gate would: 422 card-not-active', async (status, cardStatus) => {
      const m = await member({}, { status });
      const id = await assign(m.id, running);
      const res = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber }, desk);
      expect(res.status).toBe(422);
      expect(await body(res)).toMatchObject({ type: expect.stringMatching(/card-not-active$/), cardStatus });
      expect(await statusOf(id)).toBe('assigned');
    });

    it('refuses an unknown card, a card of another venue, and a bad body or time naming the field', async () => {
      const unknown = await post('/venues/STA/check-ins', { cardNumber: 'OG2024-000000' }, desk);
      expect(unknown.status).toBe(422);
      expect(await body(unknown)).toMatchObject({ type: expect.stringMatching(/card-unknown$/) });
      const m = await member({}, { venues: ['BER'] });
      await assign(m.id, running);
      const here = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber }, desk);
      expect(here.status).toBe(422);
      expect(await body(here)).toMatchObject({ type: expect.stringMatching(/card-not-valid-here$/) });
      const bad = await post('/venues/STA/check-ins', { card: 'x' }, desk);
      expect(bad.status).toBe(400);
      const future = await post('/venues/STA/check-ins', { cardNumber: m.cardNumber, at: new Date(now + H).toISOString() }, desk);
      expect(future.status).toBe(400);
      expect((await body(future))['errors']).toEqual([expect.objectContaining({ field: 'at' })]);
    });

    it('refuses a token without a check-in role', async () => {
      const reader = await h.token(['schedule-manager']);
      expect((await post('/venues/STA/check-ins', { cardNumber: onTime.cardNumber }, reader)).status).toBe(403);
    });

    it('checks out, then refuses a second check-out and a new check-in of the same shift', async () => {
      const res = await post('/venues/STA/check-outs', { cardNumber: onTime.cardNumber }, desk);
      expect(res.status).toBe(200);
      expect(await body(res)).toMatchObject({ id: onTimeAssignment, status: 'checked-out', cardNumber: onTime.cardNumber, version: 3 });
      const [, event] = await eventsOf(onTimeAssignment, 2);
      expect(assignmentStateSchema.strict().parse(event)).toMatchObject({ status: 'checked-out', cardNumber: onTime.cardNumber, version: 3 });
      const again = await post('/venues/STA/check-outs', { cardNumber: onTime.cardNumber }, desk);
      expect(again.status).toBe(409);
      expect(await body(again)).toMatchObject({ type: expect.stringMatching(/not-checked-in$/) });
      const back = await post('/venues/STA/check-ins', { cardNumber: onTime.cardNumber }, desk);
      expect(back.status).toBe(409);
      expect(await body(back)).toMatchObject({ type: expect.stringMatching(/already-checked-out$/) });
    });
  });

  describe('no-shows', () => {
    it('the sweep writes down the published assigned members not checked in 30 minutes after the start, once, each with its event', async () => {
      const late = await shift('BER', now - 45 * MIN, 6);
      const fresh = await shift('BER', now - 10 * MIN, 6);
      const gone = await member();
      const there = await member();
      const awaited = await member();
      const goneId = await assign(gone.id, late);
      const thereId = await assign(there.id, late, 'checked-in');
      const awaitedId = await assign(awaited.id, fresh);
      const yesterday = await shift('BER', now - 25 * 60 * MIN, 6); // over for a day: its record stays as it is
      const past = await member();
      const pastId = await assign(past.id, yesterday);
      const unannounced = await member();
      const unannouncedId = await assign(unannounced.id, late, 'assigned', false); // a plan not published: never told
      await h.app.get(NoShowSweeper).sweep();
      await h.app.get(NoShowSweeper).sweep();
      expect(await statusOf(goneId)).toBe('no-show');
      expect(await statusOf(thereId)).toBe('checked-in');
      expect(await statusOf(awaitedId)).toBe('assigned');
      expect(await statusOf(unannouncedId)).toBe('assigned');
      expect(await statusOf(pastId)).toBe('assigned');
      expect(await db.historyEntry.findMany({ where: { entityId: goneId } })).toEqual([expect.objectContaining({ action: 'no-show', by: 'system' })]);
      // Arriving after all: checked in, late.
      const arrive = await post('/venues/BER/check-ins', { cardNumber: gone.cardNumber }, desk);
      expect(arrive.status).toBe(200);
      expect(await body(arrive)).toMatchObject({ id: goneId, status: 'checked-in', late: true });
      const events = await eventsOf(goneId, 2);
      expect(events.map((e) => assignmentStateSchema.strict().parse(e)).map((e) => [e.status, e.cardNumber, e.version])).toEqual([
        ['no-show', null, 2],
        ['checked-in', gone.cardNumber, 3],
      ]);
    });

    it('sweeps more than a batch in one go, each once', async () => {
      const s = await shift('BER', now - 50 * MIN, 6, { headcount: 250 });
      const members = Array.from({ length: NO_SHOW_SWEEP_BATCH + 5 }, () => randomUUID());
      await db.member.createMany({
        data: members.map((id, i) => ({ id, edition: EDITION, type: 'staff', familyName: `BATCH${i}`, givenName: 'X', organisation: 'PARIS2024', role: 'r', functionalArea: 'VEN', homeVenue: 'BER', skills: [], languages: [], availableDates: [], createdBy: 'test' })),
      });
      await db.assignment.createMany({ data: members.map((memberId) => ({ id: randomUUID(), edition: EDITION, shiftId: s, memberId, status: 'assigned', published: true, source: 'roster', createdBy: 'test' })) });
      await h.app.get(NoShowSweeper).sweep();
      expect(await db.assignment.groupBy({ by: ['status'], where: { shiftId: s }, _count: true })).toEqual([{ status: 'no-show', _count: members.length }]);
      expect(await db.historyEntry.count({ where: { action: 'no-show', details: { path: ['shiftId'], equals: s } } })).toBe(members.length);
    });

    it("a supervisor writes one down once the shift started; not before, not a checked-in one, not a desk's", async () => {
      const started = await shift('BER', now - 5 * MIN, 6);
      const later = await shift('BER', now + 2 * H, 6);
      const m = await member();
      const id = await assign(m.id, started);
      const notYet = await assign(m.id, later);
      expect((await post(`/assignments/${id}/no-show`, {}, desk)).status).toBe(403);
      expect((await post(`/assignments/${id}/no-show`, { expectedVersion: 7 }, supervisor)).status).toBe(409);
      const res = await post(`/assignments/${id}/no-show`, { reason: 'not at the post', expectedVersion: 1 }, supervisor);
      expect(res.status).toBe(200);
      expect(await body(res)).toMatchObject({ id, status: 'no-show', version: 2 });
      expect(await eventsOf(id, 1)).toEqual([expect.objectContaining({ status: 'no-show' })]);
      const twice = await post(`/assignments/${id}/no-show`, {}, supervisor);
      expect(twice.status).toBe(409);
      const early = await post(`/assignments/${notYet}/no-show`, {}, supervisor);
      expect(early.status).toBe(409);
      expect(await body(early)).toMatchObject({ type: expect.stringMatching(/shift-not-started$/) });
      const supAtSta = await h.token(['workforce-supervisor'], { sub: 'sup-sta', venues: ['STA'] } as Parameters<Harness['token']>[1]);
      expect((await post(`/assignments/${notYet}/no-show`, {}, supAtSta)).status).toBe(404);
    });
  });

  describe('the live view', () => {
    it('counts per running shift: checked in (names, cards, since), late, awaited, checked out, no-shows, missing places', async () => {
      const started = now - 20 * MIN;
      const s = await shift('LDA', started, 8, { headcount: 6, functionalArea: 'SPS' });
      await shift('LDA', now + 3 * H, 4); // not running yet
      await shift('LDA', now - 10 * H, 4); // over
      const [a, b, c, d, e, f] = await Promise.all([member(), member(), member(), member(), member(), member()]);
      for (const m of [a, b, c, d, e, f]) await assign((m as { id: string }).id, s);
      await db.assignment.updateMany({ where: { memberId: f?.id }, data: { status: 'cancelled' } });
      expect((await post('/venues/LDA/check-ins', { cardNumber: a?.cardNumber, at: new Date(started - 10 * MIN).toISOString() }, desk)).status).toBe(200);
      expect((await post('/venues/LDA/check-ins', { cardNumber: b?.cardNumber, at: new Date(started + 15 * MIN).toISOString() }, desk)).status).toBe(200);
      expect((await post('/venues/LDA/check-ins', { cardNumber: c?.cardNumber }, desk)).status).toBe(200);
      expect((await post('/venues/LDA/check-outs', { cardNumber: c?.cardNumber }, desk)).status).toBe(200);
      const dAssignment = await db.assignment.findFirstOrThrow({ where: { memberId: d?.id } });
      expect((await post(`/assignments/${dAssignment.id}/no-show`, {}, supervisor)).status).toBe(200);
      // e: assigned, not there, 20 minutes after the start: late.

      const res = await h.request(`${base}/venues/LDA/on-shift`, { token: manager });
      expect(res.status).toBe(200);
      const view = await body(res);
      expect(onShiftViewSchema.parse(view)).toBeTruthy();
      const shifts = view['shifts'] as Json[];
      expect(shifts.map((x) => x['id'])).toEqual([s]);
      const [only] = shifts;
      expect(only?.['counts']).toEqual({ expected: 6, checkedIn: 2, late: 1, awaited: 0, checkedOut: 1, noShows: 1, missing: 3 });
      expect(view['totals']).toEqual(only?.['counts']);
      expect(only?.['checkedIn']).toEqual([
        expect.objectContaining({ memberId: a?.id, cardNumber: a?.cardNumber, since: new Date(started - 10 * MIN).toISOString(), late: false }),
        expect.objectContaining({ memberId: b?.id, cardNumber: b?.cardNumber, late: true, minutesLate: 15 }),
      ]);
      expect(only?.['late']).toEqual([expect.objectContaining({ memberId: e?.id, minutesLate: 20 })]);
      expect(only?.['noShows']).toEqual([expect.objectContaining({ memberId: d?.id })]);
      expect(only?.['checkedOut']).toEqual([expect.objectContaining({ memberId: c?.id })]);

      // Looking at another moment, and who may look.
      const before = await body(await h.request(`${base}/venues/LDA/on-shift?at=${encodeURIComponent(new Date(started - MIN).toISOString())}`, { token: supervisor }));
      expect((before['shifts'] as Json[]).map((x) => x['id'])).not.toContain(s);
      expect((await h.request(`${base}/venues/LDA/on-shift`, { token: desk })).status).toBe(403);
      const supAtSta = await h.token(['workforce-supervisor'], { sub: 'sup-sta', venues: ['STA'] } as Parameters<Harness['token']>[1]);
      expect((await h.request(`${base}/venues/LDA/on-shift`, { token: supAtSta })).status).toBe(404);
      expect((await h.request(`${base}/venues/LDA/on-shift?at=yesterday`, { token: supervisor })).status).toBe(400);
    });
  });

  describe('replacements', () => {
    it('suggests only members for whom every hard rule holds, best first, with the rules held and why', async () => {
      // The shift to fill: LDA, a Thursday at least two days ahead, from 08:00 Paris time, 8 h, first aid and French required.
      let day = localDateOf(now + 2 * DAY, PARIS);
      while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 4) day = localDateOf(Date.parse(`${day}T12:00:00Z`) + DAY, PARIS);
      const resolved = resolveLocal(`${day}T08:00`, PARIS);
      if (!resolved.ok) throw new Error('08:00 exists in Paris');
      const start = resolved.instant;
      const needs = { functionalArea: 'MED', requiredSkills: ['first-aid'], requiredLanguages: ['fr'] };
      const target = await shift('LDA', start, 8, { ...needs, headcount: 2 });
      const replaced = await member({ homeVenue: 'LDA', functionalArea: 'MED' });
      const assignment = await assign(replaced.id, target, 'no-show');
      const alsoThere = await member({ homeVenue: 'LDA', functionalArea: 'MED' });
      await assign(alsoThere.id, target);

      const best = await member({ homeVenue: 'LDA', functionalArea: 'MED' });
      const second = await member({ homeVenue: 'BER', functionalArea: 'MED' });
      const third = await member({ homeVenue: 'LDA', functionalArea: 'VEN' });
      await assign(third.id, await shift('STA', start - 2 * DAY, 8)); // 8 h on the Tuesday of that week
      const refused: Record<string, string> = {};
      const add = async (rule: string, over: Parameters<typeof member>[0], card?: Parameters<typeof member>[1]) => {
        const m = await member({ homeVenue: 'LDA', functionalArea: 'MED', ...over }, card);
        refused[m.id] = rule;
        return m;
      };
      const overlap = await add('no-overlap', {});
      await assign(overlap.id, await shift('STA', start + 4 * H, 6));
      const rest = await add('min-rest', {});
      await assign(rest.id, await shift('STA', start - 10 * H, 6)); // ends 4 h before
      const consecutive = await add('max-consecutive-days', { type: 'volunteer' });
      for (let d = 1; d <= 5; d++) await assign(consecutive.id, await shift('STA', start - d * DAY, 4));
      const week = await add('max-hours-per-week', {});
      for (let d = 1; d <= 5; d++) await assign(week.id, await shift('STA', start - d * DAY - 2 * H, 11.5)); // 57.5 h + 8 h > 60 h
      const contractor = await add('max-shift-length', { type: 'contractor', organisation: 'SECURITAS' });
      await db.ruleSet.create({ data: { edition: EDITION, memberType: 'contractor', rules: { ...DEFAULT_RULES.contractor, maxShiftHours: 6 } as object, updatedBy: 'test' } });
      await add('required-skill', { skills: [] });
      await add('required-language', { languages: ['en'] });
      await add('availability', { availableDates: [localDateOf(now, PARIS)] });
      await add('accreditation', {}, { status: 'suspended' });
      await add('accreditation', {}, { venues: ['STA'] });
      await add('accreditation', {}, null);
      await add('member-released', { status: 'released' });
      expect(contractor.id).toBeDefined();

      const res = await h.request(`${base}/assignments/${assignment}/replacements?limit=50`, { token: supervisor });
      expect(res.status).toBe(200);
      const answer = await body(res);
      expect(replacementsViewSchema.parse(answer)).toBeTruthy();
      const items = answer['items'] as Json[];
      const ids = items.map((i) => i['memberId']);
      // None that breaks a rule, nor the member replaced, nor one already on the shift.
      for (const [id, rule] of Object.entries(refused)) expect({ rule, suggested: ids.includes(id) }).toEqual({ rule, suggested: false });
      expect(ids).not.toContain(replaced.id);
      expect(ids).not.toContain(alsoThere.id);
      // Best first: the shift's venue and area; its venue in another area (less the week's hours); its area elsewhere.
      expect(ids.slice(0, 3)).toEqual([best.id, third.id, second.id]);
      // Staff (the default rules): no consecutive-days cap.
      expect(items[0]).toMatchObject({ score: 150, hoursThatWeek: 0, rulesHeld: RULES.filter((r) => r !== 'max-consecutive-days'), why: ['home venue LDA (+100)', 'functional area MED (+50)', '0 h of shifts already that week (0)'] });
      expect(items[1]).toMatchObject({ score: 92, hoursThatWeek: 8, why: ['home venue LDA (+100)', '8 h of shifts already that week (-8)'] });
      expect(items[2]).toMatchObject({ score: 50, why: ['functional area MED (+50)', '0 h of shifts already that week (0)'] });
      // Each hard rule had a candidate breaking it (and only it was in the way).
      expect(new Set(Object.values(refused))).toEqual(new Set(RULES));

      const limited = await h.token(['workforce-supervisor'], { sub: 'sup-sta', venues: ['STA'] } as Parameters<Harness['token']>[1]);
      expect((await h.request(`${base}/assignments/${assignment}/replacements`, { token: limited })).status).toBe(404);
      expect((await h.request(`${base}/assignments/${assignment}/replacements`, { token: desk })).status).toBe(403);
      expect((await h.request(`${base}/assignments/${randomUUID()}/replacements`, { token: supervisor })).status).toBe(404);
    });
  });
});
