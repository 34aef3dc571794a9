/**
 * On the day, pure (docs/workforce-on-the-day.md): which assignment a card checks in, whether its holder is late, why a
 * card is refused at a venue, the live view of a venue's running shifts, and what a replacement's suggestion says.
 * Times are epoch milliseconds (UTC).
 */
import { SCORE } from '../replacements/replacements.logic';
import type { RuleName, RuleSetData } from '../rules/rules.types';

export const MINUTE_MS = 60_000;
/** A member may check in from this long before the shift's start (until its end). */
export const CHECK_IN_OPENS_BEFORE_MS = 90 * MINUTE_MS;

/** The statuses from which a check-in is taken: assigned, or written down as a no-show and arriving after all. */
export const CHECK_IN_FROM = ['assigned', 'no-show'] as const;

/** A card as on-the-day needs it (a MemberCard row). */
export interface CardState {
  status: string;
  venues: readonly string[];
  validFrom: number;
  validTo: number;
}

/**
 * Why the gate would refuse the card at `venue` at `at`, or null when it would let it in: `not-active` (issued but not
 * picked up, suspended, revoked, expired or not yet valid) with the card's status, or `venue-not-granted`.
 */
export function cardRefusal(card: CardState, venue: string, at: number): { reason: 'not-active'; cardStatus: string } | { reason: 'venue-not-granted' } | null {
  if (card.status !== 'active') return { reason: 'not-active', cardStatus: card.status };
  if (at > card.validTo) return { reason: 'not-active', cardStatus: 'expired' };
  if (at < card.validFrom) return { reason: 'not-active', cardStatus: 'not-yet-valid' };
  if (!card.venues.includes(venue) && !card.venues.includes('ALL')) return { reason: 'venue-not-granted' };
  return null;
}

/** An assignment of the member at the venue, with its shift's times. */
export interface Candidate {
  id: string;
  status: string;
  start: number;
  end: number;
}

export type CheckInChoice<C extends Candidate> =
  | { kind: 'check-in'; assignment: C }
  | { kind: 'already-checked-in'; assignment: C }
  | { kind: 'already-checked-out'; assignment: C }
  | { kind: 'no-shift-now'; next: C | null };

/** True when `at` is within the assignment's check-in window: from 90 min before its start until its end. */
export function inCheckInWindow(c: Pick<Candidate, 'start' | 'end'>, at: number): boolean {
  return c.start - CHECK_IN_OPENS_BEFORE_MS <= at && at < c.end;
}

/**
 * The assignment a card checks in at `at`, among the member's assignments at the venue (cancelled ones excluded by the
 * caller): of those whose window holds `at`, the earliest still to check in (assigned or no-show); else one already
 * checked in (refused: already-checked-in), else one checked out; else none now, with the next one to come.
 */
export function chooseCheckIn<C extends Candidate>(candidates: readonly C[], at: number): CheckInChoice<C> {
  const open = candidates.filter((c) => inCheckInWindow(c, at)).sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  const toCheckIn = open.find((c) => (CHECK_IN_FROM as readonly string[]).includes(c.status));
  if (toCheckIn) return { kind: 'check-in', assignment: toCheckIn };
  const checkedIn = open.find((c) => c.status === 'checked-in');
  if (checkedIn) return { kind: 'already-checked-in', assignment: checkedIn };
  const checkedOut = open.find((c) => c.status === 'checked-out');
  if (checkedOut) return { kind: 'already-checked-out', assignment: checkedOut };
  const next = candidates
    .filter((c) => c.start - CHECK_IN_OPENS_BEFORE_MS > at && (CHECK_IN_FROM as readonly string[]).includes(c.status))
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id))[0];
  return { kind: 'no-shift-now', next: next ?? null };
}

/** Late when checked in after the start plus the grace; minutesLate counts from the start (whole minutes). */
export function lateness(start: number, at: number, graceMs: number): { late: boolean; minutesLate: number } {
  const late = at > start + graceMs;
  return { late, minutesLate: late ? Math.floor((at - start) / MINUTE_MS) : 0 };
}

/** The `at` a client may give: not in the future (beyond a clock skew) nor older than a day (a desk back online). */
export const AT_MAX_AHEAD_MS = 5 * MINUTE_MS;
export const AT_MAX_BEHIND_MS = 24 * 60 * MINUTE_MS;

export function atProblem(at: number, now: number): string | null {
  if (at > now + AT_MAX_AHEAD_MS) return 'must not be in the future (more than 5 minutes ahead of the server clock)';
  if (at < now - AT_MAX_BEHIND_MS) return 'must be within the last 24 hours';
  return null;
}

// ---- The live view ----------------------------------------------------------------------------------------------

export interface LiveShift {
  id: string;
  functionalArea: string;
  role: string;
  start: number;
  end: number;
  headcount: number;
}

export interface LiveAssignment {
  id: string;
  shiftId: string;
  memberId: string;
  familyName: string;
  givenName: string;
  status: string;
  cardNumber: string | null;
  checkedInAt: number | null;
  checkedOutAt: number | null;
}

export interface LivePerson {
  assignmentId: string;
  memberId: string;
  familyName: string;
  givenName: string;
}

export interface LiveShiftView<S extends LiveShift> {
  shift: S;
  counts: { expected: number; checkedIn: number; late: number; awaited: number; checkedOut: number; noShows: number; missing: number };
  checkedIn: (LivePerson & { cardNumber: string | null; since: number; late: boolean; minutesLate: number })[];
  /** Assigned, not checked in, past the start plus the grace. */
  late: (LivePerson & { minutesLate: number })[];
  /** Assigned, not checked in, within the grace (or before the start). */
  awaited: LivePerson[];
  checkedOut: (LivePerson & { cardNumber: string | null; since: number; until: number })[];
  noShows: LivePerson[];
}

/**
 * Per running shift: who is checked in (since when, late or not), who is late (assigned, not there, past the grace),
 * awaited, gone (checked out), written down as no-shows, and the places missing: the headcount less those on site or
 * still expected (checked in, late, awaited). Cancelled assignments are left out by the caller.
 */
export function liveView<S extends LiveShift>(shifts: readonly S[], assignments: readonly LiveAssignment[], at: number, graceMs: number): LiveShiftView<S>[] {
  const byShift = new Map<string, LiveAssignment[]>();
  for (const a of assignments) byShift.set(a.shiftId, [...(byShift.get(a.shiftId) ?? []), a]);
  const byName = (a: LivePerson, b: LivePerson) => a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName) || a.assignmentId.localeCompare(b.assignmentId);
  return shifts.map((shift) => {
    const view: LiveShiftView<S> = {
      shift,
      counts: { expected: shift.headcount, checkedIn: 0, late: 0, awaited: 0, checkedOut: 0, noShows: 0, missing: 0 },
      checkedIn: [],
      late: [],
      awaited: [],
      checkedOut: [],
      noShows: [],
    };
    for (const a of byShift.get(shift.id) ?? []) {
      const person: LivePerson = { assignmentId: a.id, memberId: a.memberId, familyName: a.familyName, givenName: a.givenName };
      if (a.status === 'checked-in' && a.checkedInAt !== null) {
        view.checkedIn.push({ ...person, cardNumber: a.cardNumber, since: a.checkedInAt, ...lateness(shift.start, a.checkedInAt, graceMs) });
      } else if (a.status === 'checked-out' && a.checkedInAt !== null && a.checkedOutAt !== null) {
        view.checkedOut.push({ ...person, cardNumber: a.cardNumber, since: a.checkedInAt, until: a.checkedOutAt });
      } else if (a.status === 'no-show') {
        view.noShows.push(person);
      } else if (a.status === 'assigned') {
        const { late, minutesLate } = lateness(shift.start, at, graceMs);
        if (late) view.late.push({ ...person, minutesLate });
        else view.awaited.push(person);
      }
    }
    for (const list of [view.checkedIn, view.late, view.awaited, view.checkedOut, view.noShows]) list.sort(byName);
    view.counts.checkedIn = view.checkedIn.length;
    view.counts.late = view.late.length;
    view.counts.awaited = view.awaited.length;
    view.counts.checkedOut = view.checkedOut.length;
    view.counts.noShows = view.noShows.length;
    view.counts.missing = Math.max(0, shift.headcount - view.checkedIn.length - view.late.length - view.awaited.length);
    return view;
  });
}

// ---- Replacements: what a suggestion says ------------------------------------------------------------------------

/** The hard rules a rule set checks (a null limit or a false switch is not checked); a released member never works. */
export function rulesInForce(rules: RuleSetData): RuleName[] {
  const held: RuleName[] = [];
  if (rules.noOverlap) held.push('no-overlap');
  if (rules.minRestHours !== null) held.push('min-rest');
  if (rules.maxShiftHours !== null) held.push('max-shift-length');
  if (rules.maxConsecutiveDays !== null) held.push('max-consecutive-days');
  if (rules.maxHoursPerWeek !== null) held.push('max-hours-per-week');
  if (rules.requireSkills) held.push('required-skill');
  if (rules.requireLanguages) held.push('required-language');
  if (rules.requireAvailability) held.push('availability');
  if (rules.requireAccreditation) held.push('accreditation');
  held.push('member-released');
  return held;
}

/** Why a suggestion ranks where it does, in the score's own terms (replacements.logic.ts SCORE). */
export function replacementReasons(
  member: { homeVenue: string; functionalArea: string },
  shift: { venue: string; functionalArea: string },
  hoursThatWeek: number,
): string[] {
  const reasons: string[] = [];
  if (member.homeVenue === shift.venue) reasons.push(`home venue ${shift.venue} (+${SCORE.sameVenue})`);
  if (member.functionalArea === shift.functionalArea) reasons.push(`functional area ${shift.functionalArea} (+${SCORE.sameFunctionalArea})`);
  reasons.push(`${hoursThatWeek} h of shifts already that week (${SCORE.perHourThatWeek * hoursThatWeek === 0 ? 0 : SCORE.perHourThatWeek * hoursThatWeek})`);
  return reasons;
}
