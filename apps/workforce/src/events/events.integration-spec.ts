/**
 * The workforce service's reactions to other services' events (docs/workforce-events.md), against real PostgreSQL and
 * real NATS: volunteers' hand-overs, withdrawals and erasures published as the volunteers service does, accreditation's
 * card events and erasures, and the schedules' units, each on the test's NATS prefix, consumed by the service's durable
 * consumers. Shifts and assignments are set up in the database (their API is the members/shifts modules' own).
 */
import { randomUUID } from 'node:crypto';
import type { CardState, ScheduleUnitState, VolunteerHandover } from '@podium/contracts';
import { envelopeFor } from '@podium/contracts';
import { waitFor } from '@podium/testing';

import { PrismaService } from '../database/prisma.service';
import { type Harness, startWorkforce } from '../test-support/harness';
import { eventsOf, memberBody } from '../test-support/people';
import { openPersonal } from '../members/members.logic';
import { EnvelopeCipher } from '@podium/platform';

const EDITION = 'OG2024';
const TOKENS = { tokens: { edition: EDITION } };
const base = `/v1/editions/${EDITION}`;
const H = 3_600_000;

function volunteer(over: Partial<VolunteerHandover> = {}): VolunteerHandover {
  return {
    id: randomUUID(),
    edition: EDITION,
    familyName: 'MARTIN',
    givenName: 'Léa',
    dateOfBirth: '1996-05-14',
    nationality: 'FRA',
    role: 'Spectator services',
    functionalArea: 'SPS',
    venue: 'STA',
    languages: ['fr', 'en'],
    skills: ['first aid'],
    drivingLicence: true,
    availability: [{ from: '2030-07-30', to: '2030-08-02' }],
    version: 1,
    updatedAt: new Date().toISOString(),
    ...over,
  };
}

function card(over: Partial<CardState> = {}): CardState {
  return {
    cardNumber: `OG2024-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    edition: EDITION,
    holder: randomUUID(),
    category: 'OC',
    venues: ['ALL'],
    zones: ['ALL'],
    transport: [],
    dining: [],
    validFrom: '2024-01-01T00:00:00.000Z',
    validTo: '2099-12-31T00:00:00.000Z',
    status: 'active',
    credentialId: null,
    version: 1,
    updatedAt: new Date().toISOString(),
    ...over,
  };
}

describe('workforce: reactions to other services events', () => {
  let h: Harness;
  let prisma: PrismaService;
  let manager: string;
  let supervisor: string;

  const member = (volunteerId: string) => prisma.member.findUnique({ where: { edition_volunteerId: { edition: EDITION, volunteerId } } });
  /** Waits until `probe` answers something truthy. */
  const until = <T>(probe: () => Promise<T | null | undefined | false>, description: string) =>
    waitFor(async () => (await probe()) || undefined, { timeoutMs: 20_000, intervalMs: 100, description }) as Promise<T>;

  const staff = async (over: Record<string, unknown> = {}) => {
    const res = await h.request(`${base}/members`, { method: 'POST', json: memberBody({ homeVenue: 'STA', functionalArea: 'SPS', skills: [], languages: [], ...over }), token: manager });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const activeCard = async (memberId: string, over: Partial<CardState> = {}) => {
    const c = card({ source: { service: 'workforce', id: memberId }, ...over });
    await h.publish('oms.accreditation.v1.card.{edition}.changed', c, TOKENS);
    await until(() => prisma.memberCard.findFirst({ where: { cardNumber: c.cardNumber, version: c.version } }), `card ${c.cardNumber} kept`);
    return c;
  };
  const shift = async (over: { start: string; hours: number; session?: string; venue?: string; localDate?: string }) => {
    const start = new Date(over.start);
    return prisma.shift.create({
      data: {
        id: randomUUID(),
        edition: EDITION,
        venue: over.venue ?? 'STA',
        functionalArea: 'SPS',
        role: 'Steward',
        startsAt: start,
        endsAt: new Date(start.getTime() + over.hours * H),
        localDate: over.localDate ?? over.start.slice(0, 10),
        headcount: 3,
        requiredSkills: [],
        requiredLanguages: [],
        session: over.session ?? null,
        status: 'published',
        createdBy: 'test',
      },
    });
  };
  const assign = (shiftId: string, memberId: string) =>
    prisma.assignment.create({ data: { id: randomUUID(), edition: EDITION, shiftId, memberId, status: 'assigned', published: true, source: 'manual', createdBy: 'test' } });

  beforeAll(async () => {
    h = await startWorkforce();
    prisma = h.app.get(PrismaService);
    manager = await h.token(['workforce-manager'], { sub: 'mgr-1' });
    supervisor = await h.token(['workforce-supervisor'], { sub: 'sup-1' });
    await h.request(`${base}/venues/STA`, { method: 'PUT', json: { name: 'Stade de France', timeZone: 'Europe/Paris' }, token: manager });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('makes a confirmed volunteer a member (member.changed published), follows a newer version and ignores an older one', async () => {
    const v = volunteer({ familyName: 'DURAND' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const made = await until(() => member(v.id), `member of volunteer ${v.id}`);
    expect(made).toMatchObject({
      type: 'volunteer',
      familyName: 'DURAND',
      givenName: 'Léa',
      role: 'Spectator services',
      functionalArea: 'SPS',
      homeVenue: 'STA',
      languages: ['en', 'fr'],
      skills: ['first aid'],
      availableDates: ['2030-07-30', '2030-07-31', '2030-08-01', '2030-08-02'],
      status: 'active',
      sourceVersion: 1,
      createdBy: 'volunteers',
    });
    // Sealed as members are: not in clear in the row, opened with the service's cipher.
    expect(made?.personalData).not.toBeNull();
    expect(openPersonal(h.app.get(EnvelopeCipher), made as NonNullable<typeof made>)).toEqual({ dateOfBirth: '1996-05-14', nationality: 'FRA' });
    const [event] = await eventsOf(h, `oms.workforce.v1.member.${EDITION}.changed`, made?.id as string);
    expect(event?.data).toMatchObject({ type: 'volunteer', volunteerId: v.id, familyName: 'DURAND', dateOfBirth: '1996-05-14', nationality: 'FRA', status: 'active', version: 1 });

    // A newer version, then the older one late, then the same again: only the newer one counts.
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...v, familyName: 'DURAND-PETIT', venue: 'AQU', version: 2 }, TOKENS);
    await until(async () => (await member(v.id))?.sourceVersion === 2, 'version 2 taken in');
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...v, familyName: 'STALE', version: 1 }, TOKENS);
    const marker = volunteer({ familyName: 'MARKER' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', marker, TOKENS);
    await until(() => member(marker.id), 'the marker taken in (the stale version was handled before it)');
    expect(await member(v.id)).toMatchObject({ familyName: 'DURAND-PETIT', homeVenue: 'AQU', sourceVersion: 2, version: 2 });
    expect(await prisma.member.count({ where: { edition: EDITION, volunteerId: v.id } })).toBe(1);
    const events = await eventsOf(h, `oms.workforce.v1.member.${EDITION}.changed`, made?.id as string, 2);
    expect(events.map((e) => e.data['familyName'])).toEqual(['DURAND', 'DURAND-PETIT']);
  }, 60_000);

  it('releases a withdrawn volunteer and cancels their future assignments (assignment.changed), keeping past ones', async () => {
    const v = volunteer({ familyName: 'LEAVER' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const m = await until(() => member(v.id), 'member made');
    const future = await shift({ start: '2030-08-01T06:00:00Z', hours: 6 });
    const past = await shift({ start: '2020-08-01T06:00:00Z', hours: 6 });
    const a = await assign(future.id, m.id);
    const old = await assign(past.id, m.id);

    await h.publish('oms.volunteers.v1.volunteer.{edition}.withdrawn', { id: v.id, edition: EDITION, reason: 'Moved abroad', version: 2, updatedAt: new Date().toISOString() }, TOKENS);
    await until(async () => (await member(v.id))?.status === 'released', 'released');
    expect(await prisma.assignment.findUnique({ where: { id: a.id } })).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await prisma.assignment.findUnique({ where: { id: old.id } })).toMatchObject({ status: 'assigned', version: 1 });
    const [cancelled] = await eventsOf(h, `oms.workforce.v1.assignment.${EDITION}.changed`, a.id);
    expect(cancelled?.data).toMatchObject({ status: 'cancelled', memberId: m.id, shiftId: future.id });
    const released = await eventsOf(h, `oms.workforce.v1.member.${EDITION}.changed`, m.id, 2);
    expect(released.at(-1)?.data).toMatchObject({ status: 'released', version: 2 });
  }, 60_000);

  it("erases an erased volunteer's personal data, keeps the anonymised member, and never fills it again", async () => {
    const v = volunteer({ familyName: 'FORGET' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const m = await until(() => member(v.id), 'member made');
    await h.publish('oms.volunteers.v1.volunteer.{edition}.erased', { id: v.id, edition: EDITION, erasedAt: new Date().toISOString() }, TOKENS);
    await until(async () => (await member(v.id))?.erasedAt, 'erased');
    expect(await member(v.id)).toMatchObject({ id: m.id, familyName: '[erased]', givenName: '[erased]', personalKid: null, personalKey: null, personalData: null });
    expect(await prisma.historyEntry.findFirst({ where: { entityId: m.id, action: 'erase' } })).toMatchObject({ by: 'volunteers' });

    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...v, familyName: 'FORGET-AGAIN', version: 5 }, TOKENS);
    const marker = volunteer({ familyName: 'MARKER2' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', marker, TOKENS);
    await until(() => member(marker.id), 'marker taken in');
    expect(await member(v.id)).toMatchObject({ familyName: '[erased]', personalData: null });
  }, 60_000);

  it('flags the future assignments of a member whose card is suspended, with suggested replacements ranked by the rules', async () => {
    const holder = await staff({ familyName: 'HOLDER' });
    const sameVenue = await staff({ familyName: 'NEAR' });
    const otherVenue = await staff({ familyName: 'FAR', homeVenue: 'AQU', functionalArea: 'TEC' });
    const noCard = await staff({ familyName: 'NOCARD' });
    const busy = await staff({ familyName: 'BUSY' });
    const c = await activeCard(holder);
    await activeCard(sameVenue);
    await activeCard(otherVenue);
    await activeCard(busy);
    const s = await shift({ start: '2030-08-02T06:00:00Z', hours: 6 });
    const overlapping = await shift({ start: '2030-08-02T08:00:00Z', hours: 4 });
    await assign(overlapping.id, busy);
    const a = await assign(s.id, holder);
    const done = await shift({ start: '2020-08-02T06:00:00Z', hours: 6 });
    const past = await assign(done.id, holder);

    await h.publish('oms.accreditation.v1.card.{edition}.suspended', { ...c, status: 'suspended', version: 2 }, TOKENS);
    const flagged = await until(async () => (await prisma.assignment.findUnique({ where: { id: a.id } }))?.flag, 'assignment flagged');
    expect(flagged).toEqual({
      kind: 'accreditation-suspended',
      cardNumber: c.cardNumber,
      at: expect.any(String),
      suggestions: [
        { memberId: sameVenue, score: 150 },
        { memberId: otherVenue, score: 0 },
      ],
    });
    expect((await prisma.assignment.findUnique({ where: { id: past.id } }))?.flag).toBeNull();
    expect(noCard).toBeDefined();

    // The card active again (a newer version): the suspension's flag goes. An older version then changes nothing.
    await h.publish('oms.accreditation.v1.card.{edition}.changed', { ...c, status: 'active', version: 3 }, TOKENS);
    await until(async () => (await prisma.assignment.findUnique({ where: { id: a.id } }))?.flag === null, 'flag lifted');
    await h.publish('oms.accreditation.v1.card.{edition}.suspended', { ...c, status: 'suspended', version: 2 }, TOKENS);
    const later = await activeCard(await staff({ familyName: 'LATER' }));
    expect(later).toBeDefined(); // consumed after the stale suspension (the changed consumer) ...
    await until(async () => (await prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } }))?.version === 3, 'card at version 3');
    await new Promise((r) => setTimeout(r, 500)); // ... and the suspended consumer has had its turn
    expect(await prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } })).toMatchObject({ status: 'active', version: 3, memberId: holder });
    expect((await prisma.assignment.findUnique({ where: { id: a.id } }))?.flag).toBeNull();
  }, 60_000);

  it("flags a revoked card's member's assignments, links a volunteer's card by its volunteer id, and forgets an erased application's card", async () => {
    const v = volunteer({ familyName: 'REVOKED', availability: [] });
    const c = card({ source: { service: 'volunteers', id: v.id } });
    // The card first (its member is not made yet): kept with no member, linked once the volunteer is taken in.
    await h.publish('oms.accreditation.v1.card.{edition}.changed', c, TOKENS);
    await until(() => prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } }), 'card kept');
    expect((await prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } }))?.memberId).toBeNull();
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const m = await until(() => member(v.id), 'member made');
    expect((await prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } }))?.memberId).toBe(m.id);

    const s = await shift({ start: '2030-08-03T06:00:00Z', hours: 6 });
    const a = await assign(s.id, m.id);
    await h.publish('oms.accreditation.v1.card.{edition}.revoked', { ...c, status: 'revoked', version: 2 }, TOKENS);
    const flag = await until(async () => (await prisma.assignment.findUnique({ where: { id: a.id } }))?.flag, 'flagged');
    expect(flag).toMatchObject({ kind: 'accreditation-revoked', cardNumber: c.cardNumber });
    expect((flag as { suggestions: unknown[] }).suggestions.length).toBeGreaterThan(0);
    expect((flag as { suggestions: unknown[] }).suggestions.length).toBeLessThanOrEqual(5);

    await h.publish('oms.accreditation.v1.application.{edition}.erased', { edition: EDITION, applicationId: c.holder, cardNumber: c.cardNumber, erasedAt: new Date().toISOString() }, TOKENS);
    await until(async () => (await prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } })) === null, 'card removed');
    // A late card event of the erased card does not bring it back.
    await h.publish('oms.accreditation.v1.card.{edition}.changed', { ...c, version: 9 }, TOKENS);
    const marker = await activeCard(await staff({ familyName: 'AFTERERASE' }));
    expect(marker).toBeDefined();
    expect(await prisma.memberCard.findUnique({ where: { cardNumber: c.cardNumber } })).toBeNull();
  }, 60_000);

  it("keeps venues' time zones and sessions' spans from the schedule, and flags the shifts of a moved session with the suggested change", async () => {
    const unit = (rsc: string, over: Partial<ScheduleUnitState>): ScheduleUnitState => ({
      edition: EDITION,
      rsc,
      discipline: 'ATH',
      eventRsc: 'ATHM100M--------------------------',
      phaseRsc: rsc.slice(0, 22) + 'FNL---------',
      name: 'Unit',
      medal: false,
      status: 'SCHEDULED',
      startUtc: '2030-08-04T18:00:00Z',
      endUtc: '2030-08-04T19:00:00Z',
      venue: 'OLY',
      location: null,
      timeZone: 'Europe/Paris',
      startLocal: null,
      endLocal: null,
      logicalDate: '2030-08-04',
      session: 'ATH11',
      version: 1,
      change: null,
      updatedAt: new Date().toISOString(),
      ...over,
    });
    const u1 = 'ATHM100M--------------FNL-000100--';
    const u2 = 'ATHM100M--------------FNL-000200--';
    const pub = (u: ScheduleUnitState) => h.publish('oms.schedules.v1.unit.{discipline}.updated', u, { tokens: { discipline: 'ATH' } });
    await pub(unit(u1, {}));
    await pub(unit(u2, { startUtc: '2030-08-04T19:00:00Z', endUtc: '2030-08-04T20:30:00Z' }));
    await until(async () => (await prisma.sessionSpan.findUnique({ where: { edition_session: { edition: EDITION, session: 'ATH11' } } }))?.endsAt.toISOString() === '2030-08-04T20:30:00.000Z', 'span');
    expect(await prisma.venue.findUnique({ where: { edition_code: { edition: EDITION, code: 'OLY' } } })).toEqual({ edition: EDITION, code: 'OLY', name: 'OLY', timeZone: 'Europe/Paris' });

    // A shift serving the session (16:00-22:00 UTC), a member on it who also works the next morning from 08:00 UTC
    // (10 h of rest after 22:00: allowed).
    const worker = await staff({ familyName: 'STEWARD', homeVenue: 'OLY' });
    await activeCard(worker);
    const s = await shift({ start: '2030-08-04T16:00:00Z', hours: 6, session: 'ATH11', venue: 'OLY' });
    const next = await shift({ start: '2030-08-05T08:00:00Z', hours: 4, venue: 'OLY' });
    const a = await assign(s.id, worker);
    await assign(next.id, worker);
    const unrelated = await shift({ start: '2030-08-04T16:00:00Z', hours: 6, venue: 'OLY' });

    // The first unit moves 90 minutes later: the session now starts with the second unit, at 19:00, 60 minutes later
    // than planned; the shift is flagged; at 17:00-23:00 the worker would rest 9 h before the next morning (minimum 10 h).
    await pub(unit(u1, { startUtc: '2030-08-04T19:30:00Z', endUtc: '2030-08-04T20:00:00Z', version: 2 }));
    const flag = await until(async () => (await prisma.shift.findUnique({ where: { id: s.id } }))?.flag, 'shift flagged');
    expect(flag).toEqual({
      kind: 'session-moved',
      session: 'ATH11',
      offsetMinutes: 60,
      suggestedStart: '2030-08-04T17:00:00.000Z',
      suggestedEnd: '2030-08-04T23:00:00.000Z',
      plannedSessionStart: '2030-08-04T18:00:00.000Z',
      at: expect.any(String),
    });
    const af = (await prisma.assignment.findUnique({ where: { id: a.id } }))?.flag as { kind: string; violations: { rule: string }[] };
    expect(af).toMatchObject({ kind: 'session-moved', shiftId: s.id, suggestedStart: '2030-08-04T17:00:00.000Z' });
    expect(af.violations.map((v) => v.rule)).toEqual(['min-rest']);
    expect((await prisma.shift.findUnique({ where: { id: unrelated.id } }))?.flag).toBeNull();

    // The same version again and an older one: nothing changes.
    await pub(unit(u1, { startUtc: '2030-08-04T19:30:00Z', endUtc: '2030-08-04T20:00:00Z', version: 2 }));
    await pub(unit(u1, { startUtc: '2030-08-04T10:00:00Z', endUtc: '2030-08-04T11:00:00Z', version: 1 }));
    await pub(unit('ATHM100M--------------FNL-000300--', { session: 'ATH12', version: 1 }));
    await until(() => prisma.sessionSpan.findUnique({ where: { edition_session: { edition: EDITION, session: 'ATH12' } } }), 'marker session');
    expect((await prisma.shift.findUnique({ where: { id: s.id } }))?.flag).toEqual(flag);

    // Back to its planned time: the flags go.
    await pub(unit(u1, { startUtc: '2030-08-04T18:00:00Z', endUtc: '2030-08-04T19:00:00Z', version: 3 }));
    await until(async () => (await prisma.shift.findUnique({ where: { id: s.id } }))?.flag === null, 'flag cleared');
    expect((await prisma.assignment.findUnique({ where: { id: a.id } }))?.flag).toBeNull();
  }, 60_000);

  it('lists the flags for supervisors within their venues, accepts a session-moved suggestion (the shift moves) and dismisses flags', async () => {
    const pub = (rsc: string, startUtc: string, version: number) =>
      h.publish(
        'oms.schedules.v1.unit.{discipline}.updated',
        {
          edition: EDITION,
          rsc,
          discipline: 'ATH',
          eventRsc: 'ATHW100M--------------------------',
          phaseRsc: 'ATHW100M--------------FNL---------',
          name: 'Final',
          medal: true,
          status: 'SCHEDULED',
          startUtc,
          endUtc: new Date(Date.parse(startUtc) + H).toISOString().replace('.000', ''),
          venue: 'AQU',
          location: null,
          timeZone: 'Europe/Paris',
          startLocal: null,
          endLocal: null,
          logicalDate: '2030-08-06',
          session: 'SWM21',
          version,
          change: null,
          updatedAt: new Date().toISOString(),
        },
        { tokens: { discipline: 'ATH' } },
      );
    const rsc = 'ATHW100M--------------FNL-000100--';
    await pub(rsc, '2030-08-06T18:00:00Z', 1);
    await until(() => prisma.sessionSpan.findUnique({ where: { edition_session: { edition: EDITION, session: 'SWM21' } } }), 'span');
    const s = await shift({ start: '2030-08-06T16:00:00Z', hours: 5, session: 'SWM21', venue: 'AQU' });
    const other = await shift({ start: '2030-08-06T15:00:00Z', hours: 6, session: 'SWM21', venue: 'AQU' });
    await pub(rsc, '2030-08-06T17:30:00Z', 2);
    await until(async () => (await prisma.shift.findUnique({ where: { id: other.id } }))?.flag, 'flagged');

    const list = async (query: string, token = supervisor) => {
      const res = await h.request(`${base}/flags${query}`, { token });
      expect(res.status).toBe(200);
      return (await res.json()) as { shifts: { id: string; flag: { suggestedStart: string } }[]; assignments: unknown[] };
    };
    const flagged = await list('?kind=session-moved&venue=AQU');
    expect(flagged.shifts.map((x) => x.id).sort()).toEqual([s.id, other.id].sort());
    expect(flagged.shifts.find((x) => x.id === s.id)?.flag).toMatchObject({ offsetMinutes: -30, suggestedStart: '2030-08-06T15:30:00.000Z', suggestedEnd: '2030-08-06T20:30:00.000Z' });
    expect((await list('?kind=accreditation-revoked&venue=AQU')).shifts).toEqual([]);
    const staOnly = await h.token(['workforce-supervisor'], { sub: 'sup-sta', venues: ['STA'] });
    expect((await list('?venue=AQU', staOnly)).shifts).toEqual([]);
    expect((await h.request(`${base}/flags?kind=late`, { token: supervisor })).status).toBe(400);
    expect((await h.request(`${base}/flags`, { token: await h.token(['workforce-checkin']) })).status).toBe(403);

    // A supervisor may not move a shift; a manager accepts at the shift's version: the shift moves, the flag goes.
    const accept = (token: string, version: number) => h.request(`${base}/shifts/${s.id}/flag/accept`, { method: 'POST', json: { version }, token });
    expect((await accept(supervisor, 1)).status).toBe(403);
    expect((await accept(manager, 7)).status).toBe(409);
    const accepted = await accept(manager, 1);
    expect(accepted.status).toBe(200);
    expect(await prisma.shift.findUnique({ where: { id: s.id } })).toMatchObject({
      startsAt: new Date('2030-08-06T15:30:00Z'),
      endsAt: new Date('2030-08-06T20:30:00Z'),
      flag: null,
      version: 2,
    });
    expect((await accept(manager, 2)).status).toBe(409); // nothing left to accept

    const dismissed = await h.request(`${base}/shifts/${other.id}/flag/dismiss`, { method: 'POST', token: supervisor });
    expect(dismissed.status).toBe(200);
    expect(await prisma.shift.findUnique({ where: { id: other.id } })).toMatchObject({ flag: null, startsAt: new Date('2030-08-06T15:00:00Z') });
    expect((await list('?venue=AQU')).shifts).toEqual([]);
    expect((await h.request(`${base}/shifts/${randomUUID()}/flag/dismiss`, { method: 'POST', token: supervisor })).status).toBe(404);
  }, 60_000);

  it('dead-letters a malformed event and goes on consuming', async () => {
    const bad = envelopeFor('oms.volunteers.v1.volunteer.{edition}.confirmed', volunteer(), { id: randomUUID() });
    const broken = { ...bad, data: { ...bad.data, familyName: '', dateOfBirth: 'yesterday' } };
    await h.reader.jetstream().publish(`${h.nats.prefix}oms.volunteers.v1.volunteer.${EDITION}.confirmed`, JSON.stringify(broken), { msgID: broken.id });
    const after = volunteer({ familyName: 'AFTERBAD' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', after, TOKENS);
    await until(() => member(after.id), 'the next event consumed');
    expect(await member(bad.data.id)).toBeNull();
    const dead = await until(async () => (await h.readStream('DLQ')).filter((m) => m.msgId?.includes('workforce-volunteers-confirmed') || JSON.stringify(m.json).includes(bad.data.id)), 'dead letter');
    expect(dead.length).toBe(1);
    expect(dead[0]?.subject).toBe(`dlq.workforce.oms.volunteers.v1.volunteer.${EDITION}.confirmed`);
    expect(supervisor).toBeDefined();
  }, 60_000);
});
