/**
 * The rules engine: the only place a hard rostering rule is decided (docs/workforce-rules.md). Pure: no NestJS, no
 * database. The assignment API, the auto-roster, the event reactions and the on-the-day replacements all call
 * checkAssignment; a refusal names the rule and the numbers ("rest between shifts 8 h, minimum 10 h").
 *
 * Durations are measured on the UTC clock (a shift across a DST change lasts what it really lasts); days are the
 * venues' local dates given with each shift (ShiftFacts.localDate), so "consecutive days" and "7 days" follow the
 * local calendar whatever the UTC offset.
 */
import { z } from 'zod';

import type { CardFacts, MemberFacts, MemberType, RuleSetData, ShiftFacts, SoftWeights, Violation } from './rules.types';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The soft weights every default rule set starts with (the auto-roster's objective, docs/workforce-roster.md). */
export const DEFAULT_WEIGHTS: SoftWeights = { fairness: 1, preferredVenue: 0.5, preferredFunctionalArea: 0.5, preferredStart: 0.25 };

/**
 * The rules an edition starts with, per member type (PUT /v1/editions/{e}/rules/{memberType} replaces them):
 * - volunteer: 10 h shifts at most, 10 h rest, 5 consecutive days, 48 h in any 7 days (the issue's figures);
 * - staff: 12 h shifts, 10 h rest, 60 h in any 7 days, no consecutive-days cap (Games-time contracts average out
 *   over the period; an edition that needs a cap sets one);
 * - contractor: 12 h shifts, 11 h rest and 48 h in any 7 days (the EU working-time directive's daily rest and weekly
 *   average, which contractors' employers are bound by), 6 consecutive days (one day off in seven).
 * Every type requires the shift's skills and languages, the member's availability and an active accreditation.
 */
export const DEFAULT_RULES: Readonly<Record<MemberType, RuleSetData>> = {
  volunteer: {
    noOverlap: true,
    minRestHours: 10,
    maxShiftHours: 10,
    maxConsecutiveDays: 5,
    maxHoursPerWeek: 48,
    requireSkills: true,
    requireLanguages: true,
    requireAvailability: true,
    requireAccreditation: true,
    weights: DEFAULT_WEIGHTS,
  },
  staff: {
    noOverlap: true,
    minRestHours: 10,
    maxShiftHours: 12,
    maxConsecutiveDays: null,
    maxHoursPerWeek: 60,
    requireSkills: true,
    requireLanguages: true,
    requireAvailability: true,
    requireAccreditation: true,
    weights: DEFAULT_WEIGHTS,
  },
  contractor: {
    noOverlap: true,
    minRestHours: 11,
    maxShiftHours: 12,
    maxConsecutiveDays: 6,
    maxHoursPerWeek: 48,
    requireSkills: true,
    requireLanguages: true,
    requireAvailability: true,
    requireAccreditation: true,
    weights: DEFAULT_WEIGHTS,
  },
};

const hours = (max: number) => z.number().positive().max(max).nullable();
const weight = z.number().min(0).max(100);

/** The PUT body of a rule set: every field required (a PUT replaces the whole set), unknown fields refused. */
export const ruleSetSchema = z
  .strictObject({
    noOverlap: z.boolean().meta({ description: 'Two shifts of a member may not overlap' }),
    minRestHours: hours(48).meta({ description: 'Hours of rest at least between two shifts (null: not checked)' }),
    maxShiftHours: hours(24).meta({ description: 'Hours a shift may last at most (null: not checked)' }),
    maxConsecutiveDays: z.int().min(1).max(366).nullable().meta({ description: 'Consecutive local days with a shift at most (null: not checked)' }),
    maxHoursPerWeek: hours(168).meta({ description: 'Hours of shifts in any 7 consecutive local days at most (null: not checked)' }),
    requireSkills: z.boolean(),
    requireLanguages: z.boolean(),
    requireAvailability: z.boolean(),
    requireAccreditation: z.boolean(),
    weights: z.strictObject({
      fairness: weight,
      preferredVenue: weight,
      preferredFunctionalArea: weight,
      preferredStart: weight,
    }),
  })
  .meta({ title: 'WorkforceRuleSet' });

/** A bad field of a rule set, as a 400 problem+json's `errors` entry names it (`body.weights.fairness`). */
export interface RuleSetFieldError {
  field: string;
  message: string;
}

export type ParsedRuleSet = { ok: true; rules: RuleSetData } | { ok: false; errors: RuleSetFieldError[] };

/** Zod issues as field errors: one per unknown key ('Unknown field'), a missing value reads 'Required'. */
function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], location: string | undefined): RuleSetFieldError[] {
  const name = (path: readonly PropertyKey[]) =>
    [location, ...path].filter((part) => part !== undefined).map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[') || '(root)';
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: name([...issue.path, key]), message: 'Unknown field' }));
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    return [{ field: name(issue.path), message: missing ? 'Required' : issue.message }];
  });
}

/**
 * A rule set from untrusted JSON (a PUT body, or a stored row): every field checked, unknown fields refused, each
 * problem named by its field (`body.minRestHours: Number must be greater than 0`), ready for a 400 problem+json.
 */
export function parseRuleSet(input: unknown, location: 'body' | undefined = 'body'): ParsedRuleSet {
  const parsed = ruleSetSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error.issues, location) };
  return { ok: true, rules: parsed.data };
}

// ---------------------------------------------------------------------------------------------------------------------
// Formatting of the numbers in a message: at most 2 decimals, rounded towards the limit's wrong side so that a value
// just short of a minimum never prints as the minimum itself ("rest 9.99 h", not "rest 10 h").

function down(value: number): number {
  return Math.floor(value * 100 + 1e-9) / 100;
}

function up(value: number): number {
  return Math.ceil(value * 100 - 1e-9) / 100;
}

const dayNumbers = new Map<string, number>();

/** A local date (YYYY-MM-DD) as a day number (days since 1970-01-01), memoised: the rules compare days often. */
export function dayNumber(localDate: string): number {
  let n = dayNumbers.get(localDate);
  if (n === undefined) {
    n = Math.round(Date.parse(`${localDate}T00:00:00Z`) / DAY);
    if (Number.isNaN(n)) throw new RangeError(`not a local date: ${localDate}`);
    if (dayNumbers.size < 100_000) dayNumbers.set(localDate, n);
  }
  return n;
}

/** Local date arithmetic on YYYY-MM-DD (calendar days, no time zone involved). */
export function addDays(localDate: string, days: number): string {
  const t = Date.parse(`${localDate}T00:00:00Z`) + days * DAY;
  return new Date(t).toISOString().slice(0, 10);
}

/** Skills and languages are codes compared without case ('FR' is 'fr'). */
function holds(list: readonly string[], wanted: string): boolean {
  if (list.includes(wanted)) return true;
  const folded = wanted.toLowerCase();
  return list.some((item) => item.toLowerCase() === folded);
}

/** A card with which the member may work the shift: active, valid from start to end, granting the venue (or ALL). */
export function cardCovers(card: CardFacts, shift: Pick<ShiftFacts, 'venue' | 'start' | 'end'>): boolean {
  return (
    card.status === 'active' &&
    card.validFrom <= shift.start &&
    shift.end <= card.validTo &&
    (card.venues.includes(shift.venue) || card.venues.includes('ALL'))
  );
}

/**
 * The rules that depend on the member and the shift only (not on the member's other shifts): released, accreditation,
 * availability, skills, languages, shift length. The auto-roster computes them once per member and shift.
 */
export function memberShiftViolations(rules: RuleSetData, member: MemberFacts, shift: ShiftFacts): Violation[] {
  const out: Violation[] = [];
  if (member.status === 'released') {
    out.push({ rule: 'member-released', message: 'member released', actual: 'released', limit: 'active' });
  }
  if (rules.requireAccreditation && !member.cards.some((card) => cardCovers(card, shift))) {
    out.push(accreditationViolation(member.cards, shift));
  }
  if (rules.requireAvailability && member.availableDates.length > 0 && !member.availableDates.includes(shift.localDate)) {
    out.push({ rule: 'availability', message: `not available on ${shift.localDate}`, actual: shift.localDate, limit: [...member.availableDates] });
  }
  if (rules.requireSkills) {
    for (const skill of shift.requiredSkills) {
      if (!holds(member.skills, skill)) out.push({ rule: 'required-skill', message: `missing skill ${skill}`, limit: skill });
    }
  }
  if (rules.requireLanguages) {
    for (const language of shift.requiredLanguages) {
      if (!holds(member.languages, language)) out.push({ rule: 'required-language', message: `missing language ${language}`, limit: language });
    }
  }
  if (rules.maxShiftHours !== null) {
    const length = (shift.end - shift.start) / HOUR;
    if (length > rules.maxShiftHours) {
      out.push({ rule: 'max-shift-length', message: `shift ${up(length)} h, maximum ${rules.maxShiftHours} h`, actual: up(length), limit: rules.maxShiftHours });
    }
  }
  return out;
}

/** Why no card of the member will do, the closest card first: none active, the venue not granted, or not valid long enough. */
function accreditationViolation(cards: readonly CardFacts[], shift: ShiftFacts): Violation {
  const active = cards.filter((card) => card.status === 'active');
  if (active.length === 0) {
    const statuses = [...new Set(cards.map((card) => card.status))];
    const message = statuses.length === 0 ? 'no accreditation' : `no active accreditation (card ${statuses.join(', ')})`;
    return { rule: 'accreditation', message, actual: statuses.length === 0 ? 'none' : statuses, limit: 'active' };
  }
  const granting = active.filter((card) => card.venues.includes(shift.venue) || card.venues.includes('ALL'));
  if (granting.length === 0) {
    const venues = [...new Set(active.flatMap((card) => card.venues))];
    return { rule: 'accreditation', message: `accreditation does not grant venue ${shift.venue}`, actual: venues, limit: shift.venue };
  }
  const card = granting[0];
  const iso = (t: number) => new Date(t).toISOString();
  return {
    rule: 'accreditation',
    message: `accreditation valid from ${iso(card.validFrom)} to ${iso(card.validTo)}, shift from ${iso(shift.start)} to ${iso(shift.end)}`,
    actual: [iso(card.validFrom), iso(card.validTo)],
    limit: [iso(shift.start), iso(shift.end)],
  };
}

/**
 * The rules between the shift and the member's other shifts (any day; a shift with the shift's own id is ignored, so
 * an existing assignment can be re-checked): overlap, rest both ways, consecutive local days, hours in any 7 days.
 */
export function scheduleViolations(rules: RuleSetData, shift: ShiftFacts, others: readonly ShiftFacts[]): Violation[] {
  const out: Violation[] = [];
  const rest = rules.minRestHours;
  for (const other of others) {
    if (other.id === shift.id) continue;
    const overlaps = other.start < shift.end && shift.start < other.end;
    if (overlaps) {
      if (rules.noOverlap) {
        out.push({ rule: 'no-overlap', message: `overlaps shift ${other.id} (${new Date(other.start).toISOString()} to ${new Date(other.end).toISOString()})`, shiftId: other.id });
      }
      continue;
    }
    if (rest === null) continue;
    const gap = (other.end <= shift.start ? shift.start - other.end : other.start - shift.end) / HOUR;
    if (gap < rest) {
      out.push({ rule: 'min-rest', message: `rest between shifts ${down(gap)} h, minimum ${rest} h`, actual: down(gap), limit: rest, shiftId: other.id });
    }
  }
  if (rules.maxConsecutiveDays !== null || rules.maxHoursPerWeek !== null) {
    // Hours per local day, keyed by day number (days since 1970-01-01 on the local calendar).
    const today = dayNumber(shift.localDate);
    const days = new Map<number, number>();
    days.set(today, (shift.end - shift.start) / HOUR);
    for (const other of others) {
      if (other.id === shift.id) continue;
      const d = dayNumber(other.localDate);
      if (d < today - 7 - (rules.maxConsecutiveDays ?? 0) || d > today + 7 + (rules.maxConsecutiveDays ?? 0)) continue;
      days.set(d, (days.get(d) ?? 0) + (other.end - other.start) / HOUR);
    }
    if (rules.maxConsecutiveDays !== null) {
      let run = 1;
      for (let d = today - 1; days.has(d); d--) run++;
      for (let d = today + 1; days.has(d); d++) run++;
      if (run > rules.maxConsecutiveDays) {
        out.push({ rule: 'max-consecutive-days', message: `${run} consecutive days, maximum ${rules.maxConsecutiveDays}`, actual: run, limit: rules.maxConsecutiveDays });
      }
    }
    if (rules.maxHoursPerWeek !== null) {
      let worst = 0;
      let worstFrom = today;
      for (let from = today - 6; from <= today; from++) {
        let total = 0;
        for (let d = from; d < from + 7; d++) total += days.get(d) ?? 0;
        if (total > worst + 1e-9) {
          worst = total;
          worstFrom = from;
        }
      }
      if (worst > rules.maxHoursPerWeek + 1e-9) {
        out.push({
          rule: 'max-hours-per-week',
          message: `${up(worst)} h in the 7 days from ${addDays(shift.localDate, worstFrom - today)}, maximum ${rules.maxHoursPerWeek}`,
          actual: up(worst),
          limit: rules.maxHoursPerWeek,
        });
      }
    }
  }
  return out;
}

/**
 * Every hard rule the assignment of `member` to `shift` would break, given the shifts of the member's other live
 * assignments (`others`, any day; one with the shift's own id is ignored). Empty: the assignment is allowed.
 */
export function checkAssignment(rules: RuleSetData, member: MemberFacts, shift: ShiftFacts, others: readonly ShiftFacts[]): Violation[] {
  return [...memberShiftViolations(rules, member, shift), ...scheduleViolations(rules, shift, others)];
}
