/**
 * The workforce service's reactions to other services' events, the pure part: a volunteer's hand-over as a member's
 * fields, a card event as a MemberCard row and the member it belongs to, the flags put on shifts and assignments, and
 * a session's span and move from its schedule units. No NestJS, no database (events.logic.spec.ts).
 */
import type { CardState, ScheduleUnitState, VolunteerHandover } from '@podium/contracts';

import type { Violation } from '../rules/rules.types';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * At most this many available dates are kept per member (two years of days). A hand-over whose ranges cover more says
 * "available whenever": kept as an empty list, which the rules read as every day.
 */
export const MAX_AVAILABLE_DATES = 731;

/** The local dates (YYYY-MM-DD) of inclusive ranges, sorted and distinct; a range ending before it starts adds none. */
export function expandAvailability(ranges: readonly { from: string; to: string }[]): string[] {
  const days = new Set<string>();
  for (const { from, to } of ranges) {
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) continue;
    if ((end - start) / DAY_MS + 1 > MAX_AVAILABLE_DATES) return [];
    for (let t = start; t <= end; t += DAY_MS) {
      days.add(new Date(t).toISOString().slice(0, 10));
      if (days.size > MAX_AVAILABLE_DATES) return [];
    }
  }
  return [...days].sort();
}

/** What a confirmed volunteer's hand-over makes of a member (type volunteer; personal holds what is sealed). */
export interface VolunteerMemberFields {
  volunteerId: string;
  edition: string;
  familyName: string;
  givenName: string;
  role: string;
  functionalArea: string;
  homeVenue: string;
  languages: string[];
  skills: string[];
  availableDates: string[];
  personal: { dateOfBirth: string; nationality: string };
  /** The hand-over's version: an older one never overwrites a newer one. */
  sourceVersion: number;
}

export function volunteerMemberFields(h: VolunteerHandover): VolunteerMemberFields {
  return {
    volunteerId: h.id,
    edition: h.edition,
    familyName: h.familyName,
    givenName: h.givenName,
    role: h.role,
    functionalArea: h.functionalArea,
    homeVenue: h.venue,
    languages: [...new Set(h.languages)].sort(),
    skills: [...new Set(h.skills)].sort(),
    availableDates: expandAvailability(h.availability),
    personal: { dateOfBirth: h.dateOfBirth, nationality: h.nationality },
    sourceVersion: h.version,
  };
}

/** The marker an erased member's names are replaced by (the history keeps the member's id, never a name). */
export const ERASED_NAME = '[erased]';

/** Card statuses kept (expired is computed from validTo, never stored). */
export type KeptCardStatus = 'issued' | 'active' | 'suspended' | 'revoked';

/** A card event as its MemberCard row, without the member it belongs to (resolved from `memberRef`). */
export interface CardRow {
  cardNumber: string;
  edition: string;
  holder: string;
  status: KeptCardStatus;
  venues: string[];
  zones: string[];
  validFrom: Date;
  validTo: Date;
  version: number;
  updatedAt: Date;
}

export function cardRow(card: CardState): CardRow {
  // 'expired' is computed by accreditation and never published as a stored status; kept as active (validTo says it).
  const status: KeptCardStatus = card.status === 'expired' ? 'active' : card.status;
  return {
    cardNumber: card.cardNumber,
    edition: card.edition,
    holder: card.holder,
    status,
    venues: card.venues,
    zones: card.zones,
    validFrom: new Date(card.validFrom),
    validTo: new Date(card.validTo),
    version: card.version,
    updatedAt: new Date(card.updatedAt),
  };
}

/** Whom a card belongs to here: a member by id (workforce), by volunteer id (volunteers), or nobody known. */
export type CardMemberRef = { by: 'member'; id: string } | { by: 'volunteer'; id: string } | { by: 'none' };

export function cardMemberRef(card: Pick<CardState, 'source'>): CardMemberRef {
  const source = card.source;
  if (!source) return { by: 'none' };
  return source.service === 'workforce' ? { by: 'member', id: source.id } : { by: 'volunteer', id: source.id };
}

/** A card event whose status stops its holder working: the member's future assignments are flagged. */
export function stopsWork(status: KeptCardStatus): 'accreditation-suspended' | 'accreditation-revoked' | null {
  if (status === 'suspended') return 'accreditation-suspended';
  if (status === 'revoked') return 'accreditation-revoked';
  return null;
}

/** A suggested replacement: a member who may take the shift, with the rank's score (replacements.logic.ts). */
export interface Suggestion {
  memberId: string;
  score: number;
}

/** Assignment.flag when the member's card stops them working. */
export interface AccreditationFlag {
  kind: 'accreditation-suspended' | 'accreditation-revoked';
  cardNumber: string;
  at: string;
  suggestions: Suggestion[];
}

/** Shift.flag when the session it serves moved: the shift moved by the same offset as the session's start. */
export interface SessionMovedShiftFlag {
  kind: 'session-moved';
  session: string;
  offsetMinutes: number;
  suggestedStart: string;
  suggestedEnd: string;
  /** The session's start the shift was planned against (the offset is counted from it across several moves). */
  plannedSessionStart: string;
  at: string;
}

/** Assignment.flag when its member would break a rule under the shift's suggested times. */
export interface SessionMovedAssignmentFlag {
  kind: 'session-moved';
  session: string;
  shiftId: string;
  suggestedStart: string;
  suggestedEnd: string;
  violations: Violation[];
  at: string;
}

/**
 * Assignment.flag when a change of its shift (PATCH .../shifts/{id}: new times or requirements) makes its member break
 * a rule (the shifts' re-check, docs/workforce-api.md#shifts); cleared when a later change makes it valid again.
 */
export interface RuleViolatedAssignmentFlag {
  kind: 'rule-violated';
  violations: Violation[];
  at: string;
}

export type AssignmentFlag = AccreditationFlag | SessionMovedAssignmentFlag | RuleViolatedAssignmentFlag;

export const FLAG_KINDS = ['accreditation-suspended', 'accreditation-revoked', 'session-moved', 'rule-violated'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** A flag's kind, or undefined for anything else (a flag another module wrote, or none). */
export function flagKind(flag: unknown): FlagKind | undefined {
  if (typeof flag !== 'object' || flag === null) return undefined;
  const kind = (flag as { kind?: unknown }).kind;
  return (FLAG_KINDS as readonly unknown[]).includes(kind) ? (kind as FlagKind) : undefined;
}

/** What is kept of a schedule unit (the ScheduleUnit row): a cancelled or untimed unit has no times. */
export interface UnitRow {
  edition: string;
  rsc: string;
  session: string | null;
  venue: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  status: string;
  version: number;
}

export function unitRow(unit: ScheduleUnitState): UnitRow {
  const timed = unit.status !== 'CANCELLED' && unit.startUtc !== null;
  const start = timed && unit.startUtc ? new Date(unit.startUtc) : null;
  return {
    edition: unit.edition,
    rsc: unit.rsc,
    session: unit.session,
    venue: unit.venue,
    startsAt: start,
    endsAt: start ? new Date(unit.endUtc ?? (unit.startUtc as string)) : null,
    status: unit.status,
    version: unit.version,
  };
}

export interface Span {
  start: number;
  end: number;
  venue: string | null;
}

/**
 * A session's span from its units: the earliest start and latest end of the timed ones; the venue of the earliest
 * (a session is held at one venue). Null when no unit is timed.
 */
export function sessionSpan(units: readonly Pick<UnitRow, 'startsAt' | 'endsAt' | 'venue'>[]): Span | null {
  let span: Span | null = null;
  for (const u of units) {
    if (!u.startsAt || !u.endsAt) continue;
    const start = u.startsAt.getTime();
    const end = Math.max(start, u.endsAt.getTime());
    if (!span) {
      span = { start, end, venue: u.venue };
      continue;
    }
    const current: Span = span;
    span = {
      start: Math.min(start, current.start),
      end: Math.max(end, current.end),
      venue: start < current.start ? (u.venue ?? current.venue) : current.venue,
    };
  }
  return span;
}

/** What a shift serving a moved session should become. */
export type ShiftMove =
  | { kind: 'flag'; flag: SessionMovedShiftFlag; start: number; end: number }
  | { kind: 'clear' }
  | { kind: 'none' };

/**
 * The suggestion for a shift of a session whose start moved from `previousStart` to `spanStart`: the shift moved by
 * the offset between the session's start it was planned against (its flag's, else `previousStart`) and the new one.
 * Back where it was planned: the session-moved flag goes (`clear`); no flag and no offset: nothing.
 */
export function shiftMove(
  shift: { start: number; end: number; flag: unknown },
  session: string,
  previousStart: number,
  spanStart: number,
  now: Date,
): ShiftMove {
  const current = flagKind(shift.flag) === 'session-moved' ? (shift.flag as SessionMovedShiftFlag) : undefined;
  const planned = current ? Date.parse(current.plannedSessionStart) : previousStart;
  const offset = spanStart - planned;
  if (offset === 0) return current ? { kind: 'clear' } : { kind: 'none' };
  const start = shift.start + offset;
  const end = shift.end + offset;
  return {
    kind: 'flag',
    start,
    end,
    flag: {
      kind: 'session-moved',
      session,
      offsetMinutes: Math.round(offset / MINUTE_MS),
      suggestedStart: new Date(start).toISOString(),
      suggestedEnd: new Date(end).toISOString(),
      plannedSessionStart: new Date(planned).toISOString(),
      at: now.toISOString(),
    },
  };
}
