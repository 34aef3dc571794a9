import type { Schedule } from './model';
import { type PlanContext, type PlanError, planChange, type PlanResult } from './planner';
import { M100_FINAL, M100_HEAT1, M100_HEAT2, M100_SF1, SRF_FINAL, SRF_HEAT1 } from './__fixtures__/mini-pack';
import { miniSchedule, sessionOf, unitOf } from './__fixtures__/schedule';

const NOW = new Date('2024-08-01T09:00:00.000Z');
const CTX: PlanContext = { now: NOW, by: 'u-1042', reason: 'TV schedule', changeId: 'chg-1' };

type Ok = Extract<PlanResult, { ok: true }>;

function plan(schedule: Schedule, change: unknown, ctx: PlanContext = CTX): Ok {
  const result = planChange(schedule, change, ctx);
  if (!result.ok) throw new Error(`unexpected plan error: ${JSON.stringify(result.error)}`);
  return result;
}

function planError(schedule: Schedule, change: unknown): PlanError {
  const result = planChange(schedule, change, CTX);
  if (result.ok) throw new Error('expected the change to be refused');
  return result.error;
}

/** Applies changes one after the other and returns the final schedule. */
function chain(schedule: Schedule, ...changes: unknown[]): Schedule {
  return changes.reduce<Schedule>((current, change) => plan(current, change).after, schedule);
}

describe('planChange', () => {
  let schedule: Schedule;
  beforeEach(() => {
    schedule = miniSchedule();
  });

  describe('validation', () => {
    it.each([
      [{ kind: 'teleportUnit', rsc: M100_HEAT1 }, 'kind', /Invalid discriminator/i],
      [
        { kind: 'moveUnit', rsc: M100_HEAT1, start: '2024-08-02T12:00:00Z', when: 'now' },
        'when',
        /when: unknown field/,
      ],
      [{ kind: 'moveUnit', rsc: M100_HEAT1, start: '2024-08-02T12:00' }, 'start', /offset/],
      [
        { kind: 'moveUnit', rsc: M100_HEAT1 },
        undefined,
        /needs at least one of start, end, venue, location, session/,
      ],
      [{ kind: 'moveUnit', rsc: 'ATHM100M', start: '2024-08-02T12:00:00Z' }, 'rsc', /34 characters/],
      [
        { kind: 'shiftSessions', logicalDate: '2024-08-02', offsetMinutes: 0 },
        'offsetMinutes',
        /must not be 0/,
      ],
      [{ kind: 'shiftSessions', logicalDate: '2024-08-02', offsetMinutes: 1.5 }, 'offsetMinutes', /int/],
      [{ kind: 'shiftSessions', offsetMinutes: 60 }, undefined, /needs sessions, logicalDate or venue/],
      [{ kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'CANCELLED' }, 'status', /expected one of/i],
      ['moveUnit', undefined, /object/i],
    ])('rejects %p as INVALID', (change, field, message) => {
      const error = planError(schedule, change);
      expect(error.code).toBe('INVALID');
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      expect(error.issues?.length).toBeGreaterThan(0);
    });
  });

  describe('NOT_FOUND', () => {
    it.each([
      [{ kind: 'moveUnit', rsc: 'ATHM100M--------------HEAT009900--', start: '2024-08-02T12:00:00Z' }, 'rsc'],
      [{ kind: 'moveUnit', rsc: M100_HEAT1, session: 'ZZZ01' }, 'session'],
      [{ kind: 'moveUnit', rsc: M100_HEAT1, venue: 'XXX' }, 'venue'],
      [{ kind: 'moveUnit', rsc: M100_HEAT1, location: 'POOL' }, 'location'],
      [{ kind: 'moveSession', code: 'ZZZ01', start: '2024-08-02T12:00:00Z' }, 'code'],
      [{ kind: 'shiftSessions', sessions: ['ATH02', 'NOPE1'], offsetMinutes: 30 }, 'sessions[1]'],
      [{ kind: 'shiftSessions', logicalDate: '2024-07-01', offsetMinutes: 30 }, 'logicalDate'],
      [{ kind: 'cancelUnit', rsc: 'ATHM100M--------------HEAT009900--' }, 'rsc'],
    ])('%p -> field %s', (change, field) => {
      expect(planError(schedule, change)).toMatchObject({ code: 'NOT_FOUND', field });
    });
  });

  describe('moveUnit', () => {
    it('moves a unit keeping its duration, marks it RESCHEDULED and bumps its version', () => {
      const before = structuredClone(schedule);
      const result = plan(schedule, {
        kind: 'moveUnit',
        rsc: M100_HEAT2,
        start: '2024-08-02T12:00:00+02:00',
      });
      const moved = unitOf(result.after, M100_HEAT2);
      expect(moved).toMatchObject({
        status: 'RESCHEDULED',
        startUtc: new Date('2024-08-02T10:00:00Z'),
        endUtc: new Date('2024-08-02T10:06:00Z'),
        session: 'ATH01',
        version: 2,
        updatedAt: NOW,
        rescheduled: true,
        lastChange: { id: 'chg-1', kind: 'moveUnit', reason: 'TV schedule', by: 'u-1042' },
      });
      expect(result.diff).toEqual({
        sessions: [],
        units: [
          {
            rsc: M100_HEAT2,
            name: "Men's 100m Heat 2",
            versionBefore: 1,
            versionAfter: 2,
            changes: [
              { field: 'status', before: 'SCHEDULED', after: 'RESCHEDULED' },
              { field: 'startUtc', before: '2024-08-02T08:15:00.000Z', after: '2024-08-02T10:00:00.000Z' },
              { field: 'endUtc', before: '2024-08-02T08:21:00.000Z', after: '2024-08-02T10:06:00.000Z' },
              {
                field: 'startLocal',
                before: '2024-08-02T10:15:00+02:00',
                after: '2024-08-02T12:00:00+02:00',
              },
              { field: 'endLocal', before: '2024-08-02T10:21:00+02:00', after: '2024-08-02T12:06:00+02:00' },
            ],
          },
        ],
      });
      expect(result.conflicts).toEqual([]);
      expect(result.change).toEqual({
        kind: 'moveUnit',
        rsc: M100_HEAT2,
        start: '2024-08-02T12:00:00+02:00',
      });
      // Pure: the input is untouched and unchanged items are shared.
      expect(schedule).toEqual(before);
      expect(unitOf(result.after, M100_HEAT1)).toBe(unitOf(schedule, M100_HEAT1));
      expect(result.after.sessions).toEqual(schedule.sessions);
    });

    it('shows the overlap a move would create (dry run)', () => {
      const result = plan(schedule, {
        kind: 'moveUnit',
        rsc: M100_HEAT2,
        start: '2024-08-02T10:08:00+02:00',
      });
      expect(result.conflicts).toHaveLength(1);
      expect(result.conflicts[0]).toMatchObject({
        code: 'VENUE_OVERLAP',
        isNew: true,
        units: [M100_HEAT2, M100_HEAT1],
      });
    });

    it('shows a unit pushed out of its session', () => {
      const result = plan(schedule, { kind: 'moveUnit', rsc: M100_HEAT2, start: '2024-08-02T10:58:00Z' });
      expect(result.conflicts.map((c) => [c.code, c.sessions])).toEqual([
        ['UNIT_OUTSIDE_SESSION', ['ATH01']],
      ]);
    });

    it('shows a final moved before its semi-final', () => {
      const result = plan(schedule, {
        kind: 'moveUnit',
        rsc: M100_FINAL,
        start: '2024-08-04T19:52:00+02:00',
      });
      expect(result.conflicts.map((c) => c.code)).toEqual(['VENUE_OVERLAP', 'PHASE_ORDER']);
      expect(result.conflicts[1]?.units).toEqual([M100_FINAL, M100_SF1]);
    });

    it('takes an explicit end, and refuses an end before the start', () => {
      const result = plan(schedule, { kind: 'moveUnit', rsc: M100_HEAT2, end: '2024-08-02T08:30:00Z' });
      expect(unitOf(result.after, M100_HEAT2).endUtc).toEqual(new Date('2024-08-02T08:30:00Z'));
      expect(
        planError(schedule, { kind: 'moveUnit', rsc: M100_HEAT2, end: '2024-08-02T08:15:00Z' }),
      ).toMatchObject({
        code: 'INVALID',
        field: 'end',
      });
    });

    it('moving to another venue clears the location and detaches the unit from its session', () => {
      const result = plan(schedule, { kind: 'moveUnit', rsc: M100_HEAT2, venue: 'TEA' });
      expect(unitOf(result.after, M100_HEAT2)).toMatchObject({ venue: 'TEA', location: null, session: null });
      const fields = result.diff.units[0]?.changes.map((c) => c.field);
      expect(fields).toEqual([
        'status',
        'startLocal',
        'endLocal',
        'logicalDate',
        'timeZone',
        'venue',
        'location',
        'session',
      ]);
      const local = result.diff.units[0]?.changes.find((c) => c.field === 'startLocal');
      expect(local).toEqual({
        field: 'startLocal',
        before: '2024-08-02T10:15:00+02:00',
        after: '2024-08-01T22:15:00-10:00',
      });
    });

    it('moving into a session takes the venue from it and keeps the location at the same venue', () => {
      const result = plan(schedule, {
        kind: 'moveUnit',
        rsc: M100_HEAT2,
        session: 'ATH02',
        start: '2024-08-04T19:20:00+02:00',
      });
      expect(unitOf(result.after, M100_HEAT2)).toMatchObject({
        session: 'ATH02',
        venue: 'STA',
        location: 'TRACK',
      });
      expect(result.conflicts).toEqual([]);
    });

    it('refuses a venue that is not the venue of the given session', () => {
      expect(
        planError(schedule, { kind: 'moveUnit', rsc: M100_HEAT2, session: 'SRF01', venue: 'STA' }),
      ).toMatchObject({
        code: 'INVALID',
        field: 'venue',
      });
    });

    it('schedules an UNSCHEDULED unit (SCHEDULED, not RESCHEDULED) when given start and end', () => {
      const result = plan(schedule, {
        kind: 'moveUnit',
        rsc: SRF_FINAL,
        start: '2024-07-30T10:00:00-10:00',
        end: '2024-07-30T10:35:00-10:00',
      });
      expect(unitOf(result.after, SRF_FINAL)).toMatchObject({
        status: 'SCHEDULED',
        rescheduled: false,
        version: 2,
      });
      expect(result.conflicts).toEqual([]);
      expect(
        planError(schedule, { kind: 'moveUnit', rsc: SRF_FINAL, start: '2024-07-30T10:00:00-10:00' }),
      ).toMatchObject({
        code: 'INVALID',
        field: 'end',
      });
    });

    it('is a no-op when nothing changes: empty diff, same objects, same version', () => {
      const result = plan(schedule, {
        kind: 'moveUnit',
        rsc: M100_HEAT1,
        start: '2024-08-02T10:05:00+02:00',
      });
      expect(result.diff).toEqual({ units: [], sessions: [] });
      expect(unitOf(result.after, M100_HEAT1)).toBe(unitOf(schedule, M100_HEAT1));
      expect(result.conflicts).toEqual([]);
    });

    it('only lets a started unit change its end', () => {
      const running = chain(schedule, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' });
      expect(
        planError(running, { kind: 'moveUnit', rsc: M100_HEAT1, start: '2024-08-02T08:06:00Z' }),
      ).toMatchObject({
        code: 'INVALID_STATE',
        message: expect.stringContaining('is RUNNING: only its end can change'),
      });
      const extended = plan(running, { kind: 'moveUnit', rsc: M100_HEAT1, end: '2024-08-02T08:13:00Z' });
      expect(unitOf(extended.after, M100_HEAT1)).toMatchObject({ status: 'RUNNING', version: 3 });
    });

    it('refuses to move FINISHED and CANCELLED units', () => {
      const finished = chain(
        schedule,
        { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' },
        { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'FINISHED' },
        { kind: 'cancelUnit', rsc: M100_HEAT2 },
      );
      expect(
        planError(finished, { kind: 'moveUnit', rsc: M100_HEAT1, end: '2024-08-02T08:13:00Z' }).code,
      ).toBe('INVALID_STATE');
      expect(
        planError(finished, { kind: 'moveUnit', rsc: M100_HEAT2, start: '2024-08-02T09:00:00Z' }).message,
      ).toMatch(/CANCELLED: it cannot be moved \(restore it first\)/);
    });

    it('tells existing conflicts from new ones, and lists the conflicts a change resolves', () => {
      const overlapping = chain(schedule, {
        kind: 'moveUnit',
        rsc: M100_HEAT2,
        start: '2024-08-02T08:08:00Z',
      });
      const still = plan(overlapping, { kind: 'moveUnit', rsc: M100_HEAT2, end: '2024-08-02T08:20:00Z' });
      expect(still.conflicts.map((c) => [c.code, c.isNew])).toEqual([['VENUE_OVERLAP', false]]);
      expect(still.resolved).toEqual([]);
      const fixed = plan(overlapping, { kind: 'moveUnit', rsc: M100_HEAT2, start: '2024-08-02T08:30:00Z' });
      expect(fixed.conflicts).toEqual([]);
      expect(fixed.resolved.map((c) => c.code)).toEqual(['VENUE_OVERLAP']);
    });
  });

  describe('moveSession', () => {
    it('moves the session and its units by the same offset, keeping the session link', () => {
      const result = plan(schedule, {
        kind: 'moveSession',
        code: 'ATH01',
        start: '2024-08-02T11:00:00+02:00',
      });
      expect(sessionOf(result.after, 'ATH01')).toMatchObject({
        startUtc: new Date('2024-08-02T09:00:00Z'),
        endUtc: new Date('2024-08-02T12:00:00Z'),
        status: 'RESCHEDULED',
        version: 2,
        updatedAt: NOW,
        lastChange: { id: 'chg-1', kind: 'moveSession', reason: 'TV schedule', by: 'u-1042' },
      });
      expect(unitOf(result.after, M100_HEAT1)).toMatchObject({
        startUtc: new Date('2024-08-02T09:05:00Z'),
        endUtc: new Date('2024-08-02T09:11:00Z'),
        session: 'ATH01',
        status: 'RESCHEDULED',
        version: 2,
      });
      expect(result.diff.units.map((u) => u.rsc)).toEqual([M100_HEAT1, M100_HEAT2]);
      expect(result.diff.sessions).toEqual([
        {
          code: 'ATH01',
          name: 'Athletics Morning',
          versionBefore: 1,
          versionAfter: 2,
          changes: [
            { field: 'status', before: 'SCHEDULED', after: 'RESCHEDULED' },
            { field: 'startUtc', before: '2024-08-02T08:00:00.000Z', after: '2024-08-02T09:00:00.000Z' },
            { field: 'endUtc', before: '2024-08-02T11:00:00.000Z', after: '2024-08-02T12:00:00.000Z' },
            { field: 'startLocal', before: '2024-08-02T10:00:00+02:00', after: '2024-08-02T11:00:00+02:00' },
            { field: 'endLocal', before: '2024-08-02T13:00:00+02:00', after: '2024-08-02T14:00:00+02:00' },
          ],
        },
      ]);
      expect(result.conflicts).toEqual([]);
    });

    it('does not move the units for an end-only change, and shows units left outside', () => {
      const result = plan(schedule, { kind: 'moveSession', code: 'ATH01', end: '2024-08-02T10:18:00+02:00' });
      expect(result.diff.units).toEqual([]);
      expect(result.conflicts.map((c) => [c.code, c.units, c.sessions, c.isNew])).toEqual([
        ['UNIT_OUTSIDE_SESSION', [M100_HEAT2], ['ATH01'], true],
      ]);
    });

    it('refuses to move the start of a session with started units, but lets its end change', () => {
      const running = chain(schedule, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'GETTING_READY' });
      expect(
        planError(running, { kind: 'moveSession', code: 'ATH01', start: '2024-08-02T09:00:00Z' }),
      ).toMatchObject({
        code: 'INVALID_STATE',
        field: 'code',
        message: expect.stringContaining(`${M100_HEAT1} GETTING_READY`),
      });
      expect(
        plan(running, { kind: 'moveSession', code: 'ATH01', end: '2024-08-02T12:00:00Z' }).diff.sessions,
      ).toHaveLength(1);
    });

    it('moves the units with the session to another venue', () => {
      const result = plan(schedule, { kind: 'moveSession', code: 'SRF01', venue: 'STA' });
      expect(sessionOf(result.after, 'SRF01')).toMatchObject({ venue: 'STA', location: null });
      expect(unitOf(result.after, SRF_HEAT1)).toMatchObject({
        venue: 'STA',
        location: null,
        session: 'SRF01',
      });
      // The Stade de France is not open on 27 July.
      expect(result.conflicts.map((c) => [c.code, c.units, c.sessions])).toEqual([
        ['OUTSIDE_VENUE_OPENING', [], ['SRF01']],
        ['OUTSIDE_VENUE_OPENING', [SRF_HEAT1], []],
      ]);
    });

    it('gives the units a new session location', () => {
      const result = plan(schedule, { kind: 'moveSession', code: 'ATH01', location: 'FIELD' });
      expect([M100_HEAT1, M100_HEAT2].map((r) => unitOf(result.after, r).location)).toEqual([
        'FIELD',
        'FIELD',
      ]);
    });

    it('refuses a cancelled session', () => {
      const cancelled: Schedule = {
        ...schedule,
        sessions: schedule.sessions.map((s) => (s.code === 'ATH01' ? { ...s, status: 'CANCELLED' } : s)),
      };
      expect(
        planError(cancelled, { kind: 'moveSession', code: 'ATH01', start: '2024-08-02T09:00:00Z' }).code,
      ).toBe('INVALID_STATE');
    });
  });

  describe('shiftSessions', () => {
    it('moves all sessions of a logical day, with their units', () => {
      const result = plan(schedule, {
        kind: 'shiftSessions',
        logicalDate: '2024-08-02',
        offsetMinutes: -1440,
      });
      expect(result.diff.sessions.map((s) => s.code)).toEqual(['ATH01']);
      expect(result.diff.units.map((u) => u.rsc)).toEqual([M100_HEAT1, M100_HEAT2]);
      expect(unitOf(result.after, M100_HEAT1)).toMatchObject({
        startUtc: new Date('2024-08-01T08:05:00Z'),
        session: 'ATH01',
        status: 'RESCHEDULED',
      });
      expect(result.diff.units[0]?.changes).toContainEqual({
        field: 'logicalDate',
        before: '2024-08-02',
        after: '2024-08-01',
      });
      expect(result.conflicts).toEqual([]);
    });

    it('shows the days a shift takes outside the venue opening', () => {
      const result = plan(schedule, {
        kind: 'shiftSessions',
        logicalDate: '2024-08-02',
        offsetMinutes: -2880,
      });
      expect(result.conflicts.map((c) => [c.code, c.isNew])).toEqual([
        ['OUTSIDE_VENUE_OPENING', true],
        ['OUTSIDE_VENUE_OPENING', true],
        ['OUTSIDE_VENUE_OPENING', true],
      ]);
    });

    it('selects by venue and by codes, each session once', () => {
      const byVenue = plan(schedule, { kind: 'shiftSessions', venue: 'TEA', offsetMinutes: 60 });
      expect(byVenue.diff.sessions.map((s) => s.code)).toEqual(['SRF01']);
      expect(byVenue.diff.units.map((u) => u.rsc)).toEqual([SRF_HEAT1]);
      const byCode = plan(schedule, {
        kind: 'shiftSessions',
        sessions: ['ATH02', 'ATH02'],
        offsetMinutes: 30,
      });
      expect(sessionOf(byCode.after, 'ATH02').startUtc).toEqual(new Date('2024-08-04T17:30:00Z'));
      expect(byCode.diff.units.map((u) => u.rsc)).toEqual([M100_SF1, M100_FINAL]);
    });
  });

  describe('postponeUnit, cancelUnit, restoreUnit', () => {
    it('postpones a unit keeping its times; again is a no-op', () => {
      const result = plan(schedule, { kind: 'postponeUnit', rsc: M100_HEAT1 });
      expect(unitOf(result.after, M100_HEAT1)).toMatchObject({
        status: 'POSTPONED',
        startUtc: unitOf(schedule, M100_HEAT1).startUtc,
        version: 2,
      });
      expect(result.diff.units[0]?.changes).toEqual([
        { field: 'status', before: 'SCHEDULED', after: 'POSTPONED' },
      ]);
      expect(plan(result.after, { kind: 'postponeUnit', rsc: M100_HEAT1 }).diff.units).toEqual([]);
    });

    it('restores to SCHEDULED, or to RESCHEDULED when the unit had been moved', () => {
      const restored = chain(
        schedule,
        { kind: 'postponeUnit', rsc: M100_HEAT1 },
        { kind: 'restoreUnit', rsc: M100_HEAT1 },
      );
      expect(unitOf(restored, M100_HEAT1)).toMatchObject({ status: 'SCHEDULED', version: 3 });
      const moved = chain(
        schedule,
        { kind: 'moveUnit', rsc: M100_HEAT1, start: '2024-08-02T08:30:00Z' },
        { kind: 'cancelUnit', rsc: M100_HEAT1 },
        { kind: 'restoreUnit', rsc: M100_HEAT1 },
      );
      expect(unitOf(moved, M100_HEAT1)).toMatchObject({ status: 'RESCHEDULED', version: 4 });
    });

    it('reads a missing rescheduled flag from the status', () => {
      const legacy: Schedule = {
        ...schedule,
        units: schedule.units.map((u) => {
          if (u.rsc !== M100_HEAT1) return u;
          const { rescheduled: _dropped, ...rest } = u;
          return { ...rest, status: 'POSTPONED' };
        }),
      };
      expect(unitOf(plan(legacy, { kind: 'restoreUnit', rsc: M100_HEAT1 }).after, M100_HEAT1).status).toBe(
        'SCHEDULED',
      );
    });

    it('gives a postponed unit that gets a new time RESCHEDULED', () => {
      const after = chain(
        schedule,
        { kind: 'postponeUnit', rsc: M100_HEAT1 },
        { kind: 'moveUnit', rsc: M100_HEAT1, start: '2024-08-02T08:30:00Z' },
      );
      expect(unitOf(after, M100_HEAT1).status).toBe('RESCHEDULED');
    });

    it('restores a cancelled unit without times as UNSCHEDULED', () => {
      const after = chain(
        schedule,
        { kind: 'cancelUnit', rsc: SRF_FINAL },
        { kind: 'restoreUnit', rsc: SRF_FINAL },
      );
      expect(unitOf(after, SRF_FINAL).status).toBe('UNSCHEDULED');
    });

    it('frees the slot of a cancelled unit, and shows the conflict its restoration would bring back', () => {
      const cancelled = chain(
        schedule,
        { kind: 'cancelUnit', rsc: M100_HEAT1 },
        { kind: 'moveUnit', rsc: M100_HEAT2, start: '2024-08-02T08:05:00Z' },
      );
      const restore = plan(cancelled, { kind: 'restoreUnit', rsc: M100_HEAT1 });
      expect(restore.conflicts.map((c) => [c.code, c.isNew])).toEqual([['VENUE_OVERLAP', true]]);
    });

    it.each([
      ['postponeUnit', SRF_FINAL, /UNSCHEDULED: it cannot be postponed/],
      ['restoreUnit', M100_HEAT1, /only POSTPONED or CANCELLED units can be restored/],
    ])('refuses %s of %s', (kind, rsc, message) => {
      expect(planError(schedule, { kind, rsc })).toMatchObject({
        code: 'INVALID_STATE',
        field: 'rsc',
        message: expect.stringMatching(message),
      });
    });

    it('refuses to cancel a FINISHED unit; cancelling twice is a no-op', () => {
      const finished = chain(
        schedule,
        { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' },
        { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'FINISHED' },
      );
      expect(planError(finished, { kind: 'cancelUnit', rsc: M100_HEAT1 }).code).toBe('INVALID_STATE');
      const cancelled = chain(schedule, { kind: 'cancelUnit', rsc: M100_HEAT2 });
      expect(plan(cancelled, { kind: 'cancelUnit', rsc: M100_HEAT2 }).diff.units).toEqual([]);
    });
  });

  describe('setUnitStatus', () => {
    it('follows a unit through its live statuses, one version per change', () => {
      const after = chain(
        schedule,
        { kind: 'setUnitStatus', rsc: M100_FINAL, status: 'GETTING_READY' },
        { kind: 'setUnitStatus', rsc: M100_FINAL, status: 'RUNNING' },
        { kind: 'setUnitStatus', rsc: M100_FINAL, status: 'FINISHED' },
      );
      expect(unitOf(after, M100_FINAL)).toMatchObject({ status: 'FINISHED', version: 4, rescheduled: false });
    });

    it('refuses FINISHED -> RUNNING and CANCELLED -> RUNNING', () => {
      const finished = chain(
        schedule,
        { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' },
        { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'FINISHED' },
        { kind: 'cancelUnit', rsc: M100_HEAT2 },
      );
      expect(planError(finished, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' })).toEqual({
        code: 'INVALID_STATE',
        field: 'status',
        message: `unit ${M100_HEAT1} cannot go from FINISHED to RUNNING`,
      });
      expect(planError(finished, { kind: 'setUnitStatus', rsc: M100_HEAT2, status: 'RUNNING' }).code).toBe(
        'INVALID_STATE',
      );
    });

    it('lists the allowed statuses when refusing', () => {
      const running = chain(schedule, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' });
      expect(planError(running, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'DELAYED' }).message).toBe(
        `unit ${M100_HEAT1} cannot go from RUNNING to DELAYED (allowed: SCHEDULED_BREAK, INTERRUPTED, FINISHED)`,
      );
    });

    it('is a no-op for the current status', () => {
      const running = chain(schedule, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' });
      expect(plan(running, { kind: 'setUnitStatus', rsc: M100_HEAT1, status: 'RUNNING' }).diff.units).toEqual(
        [],
      );
    });
  });

  it('leaves lastChange null without a change id', () => {
    const result = plan(schedule, { kind: 'cancelUnit', rsc: M100_HEAT1 }, { now: NOW });
    expect(unitOf(result.after, M100_HEAT1)).toMatchObject({ lastChange: null, updatedAt: NOW, version: 2 });
  });
});
