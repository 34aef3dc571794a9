/**
 * Suggested replacements for a shift a member can no longer work (a card suspended or revoked, a no-show), ranked by
 * the rules. Pure: no NestJS, no database. Used by the event reactions (src/events) and the on-the-day replacements
 * endpoint (src/on-the-day). Eligibility is the rules engine's alone (checkAssignment): a candidate breaking any hard
 * rule is never suggested; the eligible ones are ordered by a soft score (docs/workforce-events.md#replacements).
 */
import { addDays, checkAssignment } from '../rules/rules.logic';
import type { MemberFacts, MemberType, RuleSetData, ShiftFacts } from '../rules/rules.types';

const HOUR = 3_600_000;

/** The score's weights: a member of the shift's venue first, then of its functional area, then the least worked. */
export const SCORE = { sameVenue: 100, sameFunctionalArea: 50, perHourThatWeek: -1 } as const;

/** How many suggestions are kept by default. */
export const DEFAULT_SUGGESTIONS = 5;

export interface Candidate {
  member: MemberFacts;
  /** The shifts of the member's other live assignments (any day): the rules' `others`. */
  others: readonly ShiftFacts[];
}

export interface RankedReplacement {
  memberId: string;
  score: number;
  /** Hours of the member's other shifts in the shift's week (Monday to Sunday of its local date). */
  hoursThatWeek: number;
}

export interface RankOptions {
  /** The edition's rules per member type (its rule sets, else DEFAULT_RULES). */
  rules: (type: MemberType) => RuleSetData;
  /** Members never suggested (the member being replaced, those already on the shift). */
  exclude?: ReadonlySet<string>;
  /** How many to keep (default 5). */
  limit?: number;
}

/** The Monday of a local date's week (YYYY-MM-DD). */
export function weekStart(localDate: string): string {
  const day = new Date(`${localDate}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(localDate, -((day + 6) % 7));
}

/** Hours of `shifts` whose local date falls in the week (Monday to Sunday) of `localDate`, rounded to 0.01 h. */
export function hoursInWeek(shifts: readonly Pick<ShiftFacts, 'id' | 'start' | 'end' | 'localDate'>[], localDate: string, excludeShiftId?: string): number {
  const from = weekStart(localDate);
  const to = addDays(from, 6);
  let hours = 0;
  for (const s of shifts) {
    if (s.id === excludeShiftId) continue;
    if (s.localDate >= from && s.localDate <= to) hours += (s.end - s.start) / HOUR;
  }
  return Math.round(hours * 100) / 100;
}

/** A candidate's soft score for the shift (higher is better): venue and functional area matches, minus the week's hours. */
export function replacementScore(member: Pick<MemberFacts, 'homeVenue' | 'functionalArea'>, shift: Pick<ShiftFacts, 'venue' | 'functionalArea'>, hoursThatWeek: number): number {
  const score =
    (member.homeVenue === shift.venue ? SCORE.sameVenue : 0) +
    (member.functionalArea === shift.functionalArea ? SCORE.sameFunctionalArea : 0) +
    SCORE.perHourThatWeek * hoursThatWeek;
  return Math.round(score * 100) / 100;
}

/**
 * The best replacements for `shift` among `candidates`: those the rules allow (checkAssignment empty, with their own
 * type's rules), by score (highest first), then fewest hours that week, then member id (a stable order).
 */
export function rankReplacements(shift: ShiftFacts, candidates: readonly Candidate[], options: RankOptions): RankedReplacement[] {
  const limit = options.limit ?? DEFAULT_SUGGESTIONS;
  const ranked: RankedReplacement[] = [];
  for (const { member, others } of candidates) {
    if (options.exclude?.has(member.id)) continue;
    if (others.some((other) => other.id === shift.id)) continue; // already on this shift
    if (checkAssignment(options.rules(member.type), member, shift, others).length > 0) continue;
    const hoursThatWeek = hoursInWeek(others, shift.localDate, shift.id);
    ranked.push({ memberId: member.id, score: replacementScore(member, shift, hoursThatWeek), hoursThatWeek });
  }
  ranked.sort((a, b) => b.score - a.score || a.hoursThatWeek - b.hoursThatWeek || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  return ranked.slice(0, Math.max(0, limit));
}
