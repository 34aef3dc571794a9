/**
 * The rostering rules' vocabulary, shared by the rules engine (rules.logic.ts), the assignment API, the auto-roster
 * and the on-the-day replacements. Pure types: no NestJS, no database. Times are epoch milliseconds (UTC); a "day"
 * is a local date of the shift's venue (YYYY-MM-DD), given with each shift.
 */

export const MEMBER_TYPES = ['staff', 'volunteer', 'contractor'] as const;
export type MemberType = (typeof MEMBER_TYPES)[number];

/**
 * The rules of one member type in one edition, as data (PUT /v1/editions/{e}/rules/{memberType}). A null limit is
 * not checked. Hard rules: a refused assignment names the rule and the numbers.
 */
export interface RuleSetData {
  /** Two shifts of a member may not overlap in time. */
  noOverlap: boolean;
  /** At least this many hours between the end of one shift and the start of the next (e.g. 10). */
  minRestHours: number | null;
  /** A shift may last at most this many hours (e.g. 12). */
  maxShiftHours: number | null;
  /** At most this many consecutive local days with a shift (e.g. 5 for volunteers). */
  maxConsecutiveDays: number | null;
  /** At most this many hours of shifts in any 7 consecutive local days (e.g. 48). */
  maxHoursPerWeek: number | null;
  /** The member has every skill the shift requires. */
  requireSkills: boolean;
  /** The member speaks every language the shift requires. */
  requireLanguages: boolean;
  /** The shift's local date is one of the member's available dates (an empty list: every day). */
  requireAvailability: boolean;
  /** The member holds an active accreditation, valid for the whole shift, granting the shift's venue (or ALL). */
  requireAccreditation: boolean;
  /** Soft rules: weights of the auto-roster's objective (0 switches one off). */
  weights: SoftWeights;
}

export interface SoftWeights {
  /** Balance hours across members (penalty on the spread of assigned hours). */
  fairness: number;
  /** A shift at the member's home venue or a preferred venue. */
  preferredVenue: number;
  /** A shift of the member's functional area or a preferred one. */
  preferredFunctionalArea: number;
  /** A shift starting at the member's preferred time of day (early: before 12:00 local; late: from 12:00). */
  preferredStart: number;
}

/** The hard rules' names, as a refusal names them (stable: other systems and the docs use them). */
export const RULES = [
  'no-overlap',
  'min-rest',
  'max-shift-length',
  'max-consecutive-days',
  'max-hours-per-week',
  'required-skill',
  'required-language',
  'availability',
  'accreditation',
  'member-released',
] as const;
export type RuleName = (typeof RULES)[number];

/** One broken rule, with its numbers: `{rule: 'min-rest', message: 'rest between shifts 8 h, minimum 10 h', actual: 8, limit: 10}`. */
export interface Violation {
  rule: RuleName;
  message: string;
  actual?: number | string | string[];
  limit?: number | string | string[];
  /** The other shift involved (overlap, rest), if any. */
  shiftId?: string;
}

/** What the rules need to know of a shift. */
export interface ShiftFacts {
  id: string;
  venue: string;
  functionalArea: string;
  start: number;
  end: number;
  /** The venue's local date of the start (YYYY-MM-DD). */
  localDate: string;
  requiredSkills: readonly string[];
  requiredLanguages: readonly string[];
}

/** An accreditation card a member holds (from accreditation's events). */
export interface CardFacts {
  cardNumber: string;
  status: 'issued' | 'active' | 'suspended' | 'revoked';
  venues: readonly string[];
  validFrom: number;
  validTo: number;
}

/** What the rules need to know of a member. */
export interface MemberFacts {
  id: string;
  type: MemberType;
  status: 'active' | 'released';
  functionalArea: string;
  homeVenue: string;
  skills: readonly string[];
  languages: readonly string[];
  /** Local dates available; empty: every day. */
  availableDates: readonly string[];
  cards: readonly CardFacts[];
  preferences: { venues?: readonly string[]; functionalAreas?: readonly string[]; shiftStarts?: 'early' | 'late' | null };
}
