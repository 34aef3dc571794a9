/**
 * The rescheduling planner: applies one change request to an in-memory schedule and tells what it would do
 * (the schedule after, a field-by-field diff, the conflicts it involves) without side effects, so the same call
 * serves a dry run and the real thing.
 */
import { logicalDate } from '@podium/odf';
import { type Conflict, findConflicts } from './conflicts';
import {
  type MoveSessionChange,
  type MoveUnitChange,
  type ScheduleChangeRequest,
  type SetUnitStatusChange,
  type ShiftSessionsChange,
  scheduleChangeRequestSchema,
} from './changes';
import { fieldIssues } from './issues';
import type { ChangeRef, Schedule, ScheduleSession, ScheduleUnit, ScheduleVenue } from './model';
import { canSetLiveStatus, hasStarted, liveTransitionsFrom } from './status';
import { localTimes } from './view';

export interface PlanContext {
  /** When the change is made: `updatedAt` of every changed unit and session. */
  readonly now: Date;
  readonly by?: string | null;
  readonly reason?: string | null;
  /** Id of the change record: when given, changed units and sessions carry it in `lastChange`. */
  readonly changeId?: string;
}

export const UNIT_DIFF_FIELDS = [
  'status',
  'startUtc',
  'endUtc',
  'startLocal',
  'endLocal',
  'logicalDate',
  'timeZone',
  'venue',
  'location',
  'session',
] as const;
export type UnitDiffField = (typeof UNIT_DIFF_FIELDS)[number];
export type SessionDiffField = Exclude<UnitDiffField, 'session'>;

export interface FieldChange<F extends string = UnitDiffField> {
  readonly field: F;
  readonly before: string | null;
  readonly after: string | null;
}

export interface UnitDiff {
  readonly rsc: string;
  readonly name: string;
  readonly versionBefore: number;
  readonly versionAfter: number;
  readonly changes: readonly FieldChange<UnitDiffField>[];
}

export interface SessionDiff {
  readonly code: string;
  readonly name: string;
  readonly versionBefore: number;
  readonly versionAfter: number;
  readonly changes: readonly FieldChange<SessionDiffField>[];
}

/** A conflict involving a changed unit or session; `isNew` when the schedule before did not have it. */
export interface PlannedConflict extends Conflict {
  readonly isNew: boolean;
}

export const PLAN_ERROR_CODES = ['INVALID', 'NOT_FOUND', 'INVALID_STATE'] as const;
export type PlanErrorCode = (typeof PLAN_ERROR_CODES)[number];

export interface PlanError {
  /** INVALID: malformed request (HTTP 400/422); NOT_FOUND: unknown unit/session/venue/location (404);
   *  INVALID_STATE: not allowed in the current status (409). */
  readonly code: PlanErrorCode;
  readonly message: string;
  /** Path of the offending field in the change request, e.g. 'start' or 'sessions[1]'. */
  readonly field?: string;
  /** Every validation issue, for INVALID requests. */
  readonly issues?: readonly { readonly field: string; readonly message: string }[];
}

export type PlanResult =
  | {
      readonly ok: true;
      /** The validated change request. */
      readonly change: ScheduleChangeRequest;
      /** The schedule after the change (unchanged items are the same objects as before). */
      readonly after: Schedule;
      /** Empty when the change is a no-op (e.g. cancelling a cancelled unit). */
      readonly diff: { readonly units: readonly UnitDiff[]; readonly sessions: readonly SessionDiff[] };
      /** Conflicts, in the schedule after, involving a changed unit or session. */
      readonly conflicts: readonly PlannedConflict[];
      /** Conflicts involving a changed unit or session that the change removes. */
      readonly resolved: readonly Conflict[];
    }
  | { readonly ok: false; readonly error: PlanError };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class PlanFailure extends Error {
  constructor(readonly error: PlanError) {
    super(error.message);
  }
}

function fail(code: PlanErrorCode, message: string, field?: string): never {
  throw new PlanFailure({ code, message, ...(field === undefined ? {} : { field }) });
}

const sameInstant = (a: Date | null, b: Date | null): boolean =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

function wasRescheduled(unit: ScheduleUnit): boolean {
  return unit.rescheduled ?? unit.status === 'RESCHEDULED';
}

/** The schedule being changed: the current state of every unit and session, edited copy-on-write. */
class Draft {
  readonly units: Map<string, ScheduleUnit>;
  readonly sessions: Map<string, ScheduleSession>;
  private readonly venues: Map<string, ScheduleVenue>;

  constructor(readonly schedule: Schedule) {
    this.units = new Map(schedule.units.map((u) => [u.rsc, u]));
    this.sessions = new Map(schedule.sessions.map((s) => [s.code, s]));
    this.venues = new Map(schedule.venues.map((v) => [v.code, v]));
  }

  unit(rsc: string, field = 'rsc'): ScheduleUnit {
    return this.units.get(rsc) ?? fail('NOT_FOUND', `unit ${rsc} is not in the schedule`, field);
  }

  session(code: string, field = 'code'): ScheduleSession {
    return this.sessions.get(code) ?? fail('NOT_FOUND', `session ${code} is not in the schedule`, field);
  }

  venue(code: string, field = 'venue'): ScheduleVenue {
    return this.venues.get(code) ?? fail('NOT_FOUND', `venue ${code} is not in the schedule`, field);
  }

  /** Checks that `location` (if not null) exists at `venue`. */
  location(venue: string | null, location: string | null, field = 'location'): string | null {
    if (location === null) return null;
    if (venue === null) fail('INVALID', 'a location needs a venue', field);
    if (!this.venue(venue).locations.some((l) => l.code === location)) {
      fail('NOT_FOUND', `location ${location} is not at venue ${venue}`, field);
    }
    return location;
  }

  timeZone(venue: string): string {
    return this.venues.get(venue)?.timeZone ?? this.schedule.edition.timeZone;
  }

  patchUnit(rsc: string, patch: Partial<Mutable<ScheduleUnit>>): void {
    this.units.set(rsc, { ...this.unit(rsc), ...patch });
  }

  patchSession(code: string, patch: Partial<Mutable<ScheduleSession>>): void {
    this.sessions.set(code, { ...this.session(code), ...patch });
  }
}

function moveUnit(d: Draft, c: MoveUnitChange): void {
  const unit = d.unit(c.rsc);
  if (unit.status === 'FINISHED' || unit.status === 'CANCELLED') {
    fail(
      'INVALID_STATE',
      `unit ${unit.rsc} is ${unit.status}: it cannot be moved${unit.status === 'CANCELLED' ? ' (restore it first)' : ''}`,
      'rsc',
    );
  }
  if (hasStarted(unit.status) && [c.start, c.venue, c.location, c.session].some((v) => v !== undefined)) {
    fail('INVALID_STATE', `unit ${unit.rsc} is ${unit.status}: only its end can change`, 'rsc');
  }

  // Place.
  let venue = unit.venue;
  let location = unit.location;
  let session = unit.session;
  let target: ScheduleSession | undefined;
  if (c.session !== undefined) {
    if (c.session === null) {
      session = null;
    } else {
      target = d.session(c.session, 'session');
      session = target.code;
      location = target.location ?? (target.venue === venue ? location : null);
      venue = target.venue;
    }
  }
  if (c.venue !== undefined) {
    const v = d.venue(c.venue);
    if (target && target.venue !== v.code) {
      fail(
        'INVALID',
        `venue ${v.code} differs from venue ${target.venue} of session ${target.code}`,
        'venue',
      );
    }
    if (v.code !== venue) {
      venue = v.code;
      location = null;
    }
    // Leaving the venue of its session detaches the unit from that session.
    if (c.session === undefined && session !== null && d.sessions.get(session)?.venue !== venue)
      session = null;
  }
  if (c.location !== undefined) location = d.location(venue, c.location);

  // Times: a new start alone keeps the duration.
  let startUtc = unit.startUtc;
  let endUtc = unit.endUtc;
  if (c.start !== undefined) {
    startUtc = new Date(c.start);
    if (c.end !== undefined) {
      endUtc = new Date(c.end);
    } else if (unit.startUtc && unit.endUtc) {
      endUtc = new Date(startUtc.getTime() + (unit.endUtc.getTime() - unit.startUtc.getTime()));
    } else {
      fail('INVALID', `unit ${unit.rsc} has no times yet: give both start and end`, 'end');
    }
  } else if (c.end !== undefined) {
    if (!startUtc) fail('INVALID', `unit ${unit.rsc} has no start: give both start and end`, 'start');
    endUtc = new Date(c.end);
  }
  if (startUtc && endUtc && endUtc <= startUtc) fail('INVALID', 'end must be after start', 'end');
  if (startUtc && venue === null)
    fail('INVALID', `unit ${unit.rsc} has no venue: give one with its times`, 'venue');

  const moved =
    !sameInstant(startUtc, unit.startUtc) ||
    !sameInstant(endUtc, unit.endUtc) ||
    venue !== unit.venue ||
    location !== unit.location;
  let status = unit.status;
  if (unit.status === 'UNSCHEDULED' && startUtc) status = 'SCHEDULED';
  else if (moved && ['SCHEDULED', 'RESCHEDULED', 'POSTPONED'].includes(unit.status)) status = 'RESCHEDULED';

  d.patchUnit(unit.rsc, { venue, location, session, startUtc, endUtc, status });
}

interface SessionMove {
  readonly startUtc: Date;
  readonly endUtc: Date;
  readonly venue: string;
  readonly location: string | null;
}

/** Moves a session and its units: units' times by the start offset; venue (and location, if set) with it. */
function applySessionMove(d: Draft, session: ScheduleSession, move: SessionMove, field: string): void {
  if (session.status === 'CANCELLED') fail('INVALID_STATE', `session ${session.code} is CANCELLED`, field);
  if (move.endUtc <= move.startUtc) fail('INVALID', 'end must be after start', 'end');
  const offset = move.startUtc.getTime() - session.startUtc.getTime();
  const venueChanged = move.venue !== session.venue;
  const locationChanged = move.location !== session.location;
  const units = [...d.units.values()].filter((u) => u.session === session.code);
  if (offset !== 0 || venueChanged || locationChanged) {
    const started = units.filter((u) => hasStarted(u.status));
    if (started.length > 0) {
      fail(
        'INVALID_STATE',
        `session ${session.code} has started units (${started.map((u) => `${u.rsc} ${u.status}`).join(', ')}): ` +
          'only its end can change',
        field,
      );
    }
  }
  const changed =
    offset !== 0 || !sameInstant(move.endUtc, session.endUtc) || venueChanged || locationChanged;
  d.patchSession(session.code, {
    ...move,
    status: changed && session.status === 'SCHEDULED' ? 'RESCHEDULED' : session.status,
  });
  for (const unit of units) {
    const patch: Partial<Mutable<ScheduleUnit>> = {};
    if (offset !== 0 && unit.startUtc && unit.endUtc) {
      patch.startUtc = new Date(unit.startUtc.getTime() + offset);
      patch.endUtc = new Date(unit.endUtc.getTime() + offset);
    }
    if (venueChanged) {
      patch.venue = move.venue;
      patch.location = move.location;
    } else if (locationChanged && move.location !== null) {
      patch.location = move.location;
    }
    const moved =
      (patch.startUtc !== undefined && !sameInstant(patch.startUtc, unit.startUtc)) ||
      (patch.venue !== undefined && patch.venue !== unit.venue) ||
      (patch.location !== undefined && patch.location !== unit.location);
    if (moved && unit.status === 'SCHEDULED') patch.status = 'RESCHEDULED';
    d.patchUnit(unit.rsc, patch);
  }
}

function moveSession(d: Draft, c: MoveSessionChange): void {
  const session = d.session(c.code, 'code');
  const startUtc = c.start === undefined ? session.startUtc : new Date(c.start);
  const offset = startUtc.getTime() - session.startUtc.getTime();
  const endUtc = c.end === undefined ? new Date(session.endUtc.getTime() + offset) : new Date(c.end);
  let venue = session.venue;
  let location = session.location;
  if (c.venue !== undefined && d.venue(c.venue).code !== venue) {
    venue = c.venue;
    location = null;
  }
  if (c.location !== undefined) location = d.location(venue, c.location);
  applySessionMove(d, session, { startUtc, endUtc, venue, location }, 'code');
}

function shiftSessions(d: Draft, c: ShiftSessionsChange): void {
  let selected: { session: ScheduleSession; field: string }[];
  if (c.sessions !== undefined) {
    const seen = new Set<string>();
    selected = [];
    c.sessions.forEach((code, i) => {
      if (seen.has(code)) return;
      seen.add(code);
      selected.push({ session: d.session(code, `sessions[${i}]`), field: `sessions[${i}]` });
    });
  } else {
    selected = [...d.sessions.values()]
      .filter((s) => s.status !== 'CANCELLED')
      .map((session) => ({ session, field: 'sessions' }));
  }
  if (c.venue !== undefined) {
    const venue = d.venue(c.venue).code;
    selected = selected.filter(({ session }) => session.venue === venue);
  }
  if (c.logicalDate !== undefined) {
    const day = c.logicalDate;
    const dayEnd = d.schedule.edition.logicalDayEnd;
    selected = selected.filter(
      ({ session }) => logicalDate(session.startUtc, d.timeZone(session.venue), dayEnd) === day,
    );
  }
  if (selected.length === 0) {
    const field = c.logicalDate !== undefined ? 'logicalDate' : c.venue !== undefined ? 'venue' : 'sessions';
    fail('NOT_FOUND', 'no session matches the selection', field);
  }
  const offset = c.offsetMinutes * 60_000;
  for (const { session, field } of selected) {
    applySessionMove(
      d,
      session,
      {
        startUtc: new Date(session.startUtc.getTime() + offset),
        endUtc: new Date(session.endUtc.getTime() + offset),
        venue: session.venue,
        location: session.location,
      },
      field,
    );
  }
}

const POSTPONABLE = ['SCHEDULED', 'RESCHEDULED', 'DELAYED', 'GETTING_READY', 'INTERRUPTED'];

function postponeUnit(d: Draft, rsc: string): void {
  const unit = d.unit(rsc);
  if (unit.status === 'POSTPONED') return;
  if (!POSTPONABLE.includes(unit.status)) {
    fail('INVALID_STATE', `unit ${rsc} is ${unit.status}: it cannot be postponed`, 'rsc');
  }
  d.patchUnit(rsc, { status: 'POSTPONED' });
}

function cancelUnit(d: Draft, rsc: string): void {
  const unit = d.unit(rsc);
  if (unit.status === 'CANCELLED') return;
  if (unit.status === 'FINISHED')
    fail('INVALID_STATE', `unit ${rsc} is FINISHED: it cannot be cancelled`, 'rsc');
  d.patchUnit(rsc, { status: 'CANCELLED' });
}

function restoreUnit(d: Draft, rsc: string): void {
  const unit = d.unit(rsc);
  if (unit.status !== 'POSTPONED' && unit.status !== 'CANCELLED') {
    fail(
      'INVALID_STATE',
      `unit ${rsc} is ${unit.status}: only POSTPONED or CANCELLED units can be restored`,
      'rsc',
    );
  }
  const status = !unit.startUtc ? 'UNSCHEDULED' : wasRescheduled(unit) ? 'RESCHEDULED' : 'SCHEDULED';
  d.patchUnit(rsc, { status });
}

function setUnitStatus(d: Draft, c: SetUnitStatusChange): void {
  const unit = d.unit(c.rsc);
  if (!canSetLiveStatus(unit.status, c.status)) {
    const allowed = liveTransitionsFrom(unit.status);
    fail(
      'INVALID_STATE',
      `unit ${unit.rsc} cannot go from ${unit.status} to ${c.status}` +
        (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''),
      'status',
    );
  }
  d.patchUnit(unit.rsc, { status: c.status });
}

function apply(d: Draft, change: ScheduleChangeRequest): void {
  switch (change.kind) {
    case 'moveUnit':
      return moveUnit(d, change);
    case 'moveSession':
      return moveSession(d, change);
    case 'shiftSessions':
      return shiftSessions(d, change);
    case 'postponeUnit':
      return postponeUnit(d, change.rsc);
    case 'cancelUnit':
      return cancelUnit(d, change.rsc);
    case 'restoreUnit':
      return restoreUnit(d, change.rsc);
    case 'setUnitStatus':
      return setUnitStatus(d, change);
    default: {
      const unknownKind: never = change;
      throw new TypeError(`unhandled change ${JSON.stringify(unknownKind)}`);
    }
  }
}

type Comparable = Record<UnitDiffField, string | null>;

function comparable(
  item: {
    status: string;
    startUtc: Date | null;
    endUtc: Date | null;
    venue: string | null;
    location: string | null;
    session?: string | null;
  },
  schedule: Schedule,
  venueTz: (venue: string) => string | undefined,
): Comparable {
  const local = localTimes(
    item.startUtc,
    item.endUtc,
    item.venue === null ? null : (venueTz(item.venue) ?? null),
    schedule.edition,
  );
  return {
    status: item.status,
    startUtc: item.startUtc?.toISOString() ?? null,
    endUtc: item.endUtc?.toISOString() ?? null,
    startLocal: local.startLocal,
    endLocal: local.endLocal,
    logicalDate: local.logicalDate,
    timeZone: local.timeZone,
    venue: item.venue,
    location: item.location,
    session: item.session ?? null,
  };
}

function fieldChanges<F extends UnitDiffField>(
  fields: readonly F[],
  before: Comparable,
  after: Comparable,
): FieldChange<F>[] {
  return fields
    .filter((field) => before[field] !== after[field])
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

const SESSION_DIFF_FIELDS = UNIT_DIFF_FIELDS.filter((f): f is SessionDiffField => f !== 'session');

/**
 * Plans a change: validates the request (zod, strict), applies it to a copy of the schedule and returns the
 * schedule after, the diff (every changed field, venue-local times included) and the conflicts involving what
 * changed. Changed units and sessions get `version + 1` and `updatedAt = ctx.now`. Never throws on bad input.
 */
export function planChange(schedule: Schedule, change: unknown, ctx: PlanContext): PlanResult {
  const parsed = scheduleChangeRequestSchema.safeParse(change);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues);
    const first = issues[0];
    return {
      ok: false,
      error: {
        code: 'INVALID',
        message: first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'invalid change',
        ...(first?.field ? { field: first.field } : {}),
        issues,
      },
    };
  }
  const request = parsed.data;
  const draft = new Draft(schedule);
  try {
    apply(draft, request);
  } catch (error) {
    if (error instanceof PlanFailure) return { ok: false, error: error.error };
    throw error;
  }

  const venueTz = (code: string): string | undefined =>
    schedule.venues.find((v) => v.code === code)?.timeZone;
  const lastChange: ChangeRef | null =
    ctx.changeId === undefined
      ? null
      : { id: ctx.changeId, kind: request.kind, reason: ctx.reason ?? null, by: ctx.by ?? null };

  const unitDiffs: UnitDiff[] = [];
  const units = schedule.units.map((before): ScheduleUnit => {
    const current = draft.units.get(before.rsc) ?? before;
    if (current === before) return before;
    const changes = fieldChanges(
      UNIT_DIFF_FIELDS,
      comparable(before, schedule, venueTz),
      comparable(current, schedule, venueTz),
    );
    if (changes.length === 0) return before;
    const moved = changes.some((c) => ['startUtc', 'endUtc', 'venue', 'location'].includes(c.field));
    const after: ScheduleUnit = {
      ...current,
      version: before.version + 1,
      updatedAt: ctx.now,
      rescheduled: wasRescheduled(before) || (moved && before.startUtc !== null),
      lastChange,
    };
    unitDiffs.push({
      rsc: before.rsc,
      name: before.name,
      versionBefore: before.version,
      versionAfter: after.version,
      changes,
    });
    return after;
  });

  const sessionDiffs: SessionDiff[] = [];
  const sessions = schedule.sessions.map((before): ScheduleSession => {
    const current = draft.sessions.get(before.code) ?? before;
    if (current === before) return before;
    const changes = fieldChanges(
      SESSION_DIFF_FIELDS,
      comparable(before, schedule, venueTz),
      comparable(current, schedule, venueTz),
    );
    if (changes.length === 0) return before;
    const after: ScheduleSession = {
      ...current,
      version: before.version + 1,
      updatedAt: ctx.now,
      lastChange,
    };
    sessionDiffs.push({
      code: before.code,
      name: before.name,
      versionBefore: before.version,
      versionAfter: after.version,
      changes,
    });
    return after;
  });

  const after: Schedule = { ...schedule, units, sessions };
  const filter = { onlyUnits: unitDiffs.map((u) => u.rsc), onlySessions: sessionDiffs.map((s) => s.code) };
  const nothingChanged = unitDiffs.length === 0 && sessionDiffs.length === 0;
  const conflictsBefore = nothingChanged ? [] : findConflicts(schedule, filter);
  const conflictsAfter = nothingChanged ? [] : findConflicts(after, filter);
  const keysBefore = new Set(conflictsBefore.map((c) => c.key));
  const keysAfter = new Set(conflictsAfter.map((c) => c.key));

  return {
    ok: true,
    change: request,
    after,
    diff: { units: unitDiffs, sessions: sessionDiffs },
    conflicts: conflictsAfter.map((c) => ({ ...c, isNew: !keysBefore.has(c.key) })),
    resolved: conflictsBefore.filter((c) => !keysAfter.has(c.key)),
  };
}
