/**
 * The auto-roster (docs/workforce-roster.md): fills the open places of a day's shifts with members, every hard rule
 * held (the rules engine decides them: each assignment of the final plan is verified with checkAssignment), hours
 * balanced and preferences honoured (the rule sets' soft weights), published assignments kept while still valid.
 * Pure: no NestJS, no database; the roster service reads the facts and writes the plan.
 *
 * The model: members x shifts, a member eligible for a shift when the rules that depend on the pair alone hold
 * (skills, languages, availability, accreditation, length, released, and rest/overlap/days/week against the member's
 * assignments outside the plan); inside the plan, a member's shifts must keep rest and overlap between them and fit
 * the hours left in every 7-day window. The engine (construction heuristic + augmenting paths + local search):
 *   1. fixed: manual assignments, published ones still valid; kept: unpublished roster ones still valid;
 *   2. construction: shifts with the fewest candidates per open place first, each place to the candidate of least
 *      cost (fairness: the rise of the sum of squared weekly hours; preferences: venue, functional area, start);
 *   3. augmenting paths (as a max-flow would): an unfilled place takes a member from another shift that another free
 *      member can fill instead, chains of any length, until no path is left;
 *   4. local search: replace an assigned member by a cheaper free one, swap two members between shifts, while it pays;
 *   5. verification with checkAssignment, the reasons of every unfilled place, the metrics.
 * Also the greedy baseline (first eligible member in order) for comparison.
 */
import { addDays, cardCovers, checkAssignment } from '../rules/rules.logic';
import type { MemberFacts, MemberType, RuleName, RuleSetData, ShiftFacts, Violation } from '../rules/rules.types';

const HOUR = 3_600_000;

/** An assignment already on one of the plan's shifts. */
export interface ExistingAssignment {
  memberId: string;
  /** Its id in the database (echoed in the plan's kept/removed lists). */
  assignmentId?: string;
  /** Announced to the member: a re-plan keeps it while it stays valid. */
  published: boolean;
  /** manual assignments are never touched by the roster; roster ones are re-planned. */
  source: 'manual' | 'roster';
}

/** A shift to fill. */
export interface RosterShift {
  facts: ShiftFacts;
  headcount: number;
  /** The hour of the start on the venue's clock (0-23.99), for the early/late preference; absent: no preference scored. */
  startLocalHour?: number;
  assigned: readonly ExistingAssignment[];
}

export interface RosterInput {
  members: readonly MemberFacts[];
  shifts: readonly RosterShift[];
  /** Each member's live assignments outside the plan's shifts (any day; the days around the plan's matter). */
  others: ReadonlyMap<string, readonly ShiftFacts[]>;
  rules: Readonly<Record<MemberType, RuleSetData>>;
  /** Local search time budget in ms (default 2000): the search stops earlier when nothing improves. */
  searchMs?: number;
  /** Give up augmenting-path search past this time (ms since the start; default 6000). */
  deadlineMs?: number;
}

export interface PlannedAssignment {
  shiftId: string;
  memberId: string;
  assignmentId?: string;
  published: boolean;
}

export interface RemovedAssignment extends PlannedAssignment {
  /** Why: the rules it now breaks, or 're-planned' (an unpublished assignment the new plan does not keep). */
  reason: 're-planned' | Violation[];
}

export interface UnfilledReason {
  rule: RuleName;
  /** The skill or language lacking, for those rules. */
  detail?: string;
  /** How many members break it (a member breaking two rules counts in both). */
  members: number;
}

export interface UnfilledShift {
  shiftId: string;
  open: number;
  /** Members that could take the shift but hold a conflicting shift of the plan (or hours of it) instead. */
  eligibleButTaken: number;
  reasons: UnfilledReason[];
  /** "no eligible member: 3 lack skill first-aid, 5 would break min-rest" */
  message: string;
}

export interface RosterMetrics {
  places: number;
  filled: number;
  filledShare: number;
  /** Members eligible for at least one of the plan's shifts ("who could work"). */
  membersWhoCouldWork: number;
  /** Hours of each such member in the 7 local days ending on the plan's last day (earlier assignments + the plan). */
  hours: { min: number; max: number; spread: number; stddev: number; mean: number };
  /** The soft objective (lower is better): fairness + preference costs of the plan's roster assignments. */
  objective: number;
  ms: number;
  /** Milliseconds of each phase: prepare (eligibility), construct, augment, search, finish (verification, reasons). */
  phases: Record<'prepare' | 'construct' | 'augment' | 'search' | 'finish', number>;
}

export interface RosterPlan {
  /** New assignments to create. */
  add: PlannedAssignment[];
  /** Existing roster assignments to remove (unpublished ones not kept, published ones no longer valid). */
  remove: RemovedAssignment[];
  /** Existing assignments kept (manual ones, published valid ones, unpublished ones chosen again). */
  keep: PlannedAssignment[];
  counts: { added: number; removed: number; kept: number; keptPublished: number; moved: number };
  unfilled: UnfilledShift[];
  metrics: RosterMetrics;
  /** The final check: every assignment of the plan re-checked with checkAssignment; dropped ones (should be 0). */
  verification: { checked: number; dropped: number };
}

// ---------------------------------------------------------------------------------------------------------------------

interface M {
  facts: MemberFacts;
  rules: RuleSetData;
  skills: Set<string>;
  languages: Set<string>;
  available: Set<string> | null;
  others: readonly ShiftFacts[];
  /** Hours of the plan's day may add up to this (weekly windows), Infinity when unchecked. */
  budget: number;
  /** Hours in the 7 days ending on the plan's last day, before the plan (fairness baseline). */
  prior: number;
  /** The plan's shift indexes the member holds (fixed or chosen). */
  plan: number[];
  planHours: number;
  /** Members already ineligible for every shift of that day: consecutive days. */
  dayBlocked: Set<string>;
  eligible: number[];
}

interface S {
  input: RosterShift;
  facts: ShiftFacts;
  hours: number;
  skills: string[];
  languages: string[];
  /** Member indexes holding it: fixed first (never moved), then movable. */
  fixed: number[];
  movable: number[];
  candidates: number[];
  candidateSet: Set<number>;
}

const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

function conflicts(rules: RuleSetData, a: ShiftFacts, b: ShiftFacts): boolean {
  if (a.id === b.id) return true;
  const overlaps = a.start < b.end && b.start < a.end;
  if (overlaps) return rules.noOverlap;
  if (rules.minRestHours === null) return false;
  const gap = a.end <= b.start ? b.start - a.end : a.start - b.end;
  return gap < rules.minRestHours * HOUR;
}

/** Hours left for the plan's day `day` in every 7-day window containing it, given the other shifts. */
function weeklyBudget(rules: RuleSetData, others: readonly ShiftFacts[], day: string): number {
  if (rules.maxHoursPerWeek === null) return Number.POSITIVE_INFINITY;
  const byDay = new Map<string, number>();
  for (const o of others) byDay.set(o.localDate, (byDay.get(o.localDate) ?? 0) + (o.end - o.start) / HOUR);
  let worst = 0;
  for (let offset = -6; offset <= 0; offset++) {
    let total = 0;
    for (let i = 0; i < 7; i++) total += byDay.get(addDays(day, offset + i)) ?? 0;
    worst = Math.max(worst, total);
  }
  return rules.maxHoursPerWeek - worst;
}

function consecutiveBlocked(rules: RuleSetData, others: readonly ShiftFacts[], day: string): boolean {
  if (rules.maxConsecutiveDays === null) return false;
  const days = new Set(others.map((o) => o.localDate));
  let run = 1;
  for (let d = addDays(day, -1); days.has(d); d = addDays(d, -1)) run++;
  for (let d = addDays(day, 1); days.has(d); d = addDays(d, 1)) run++;
  return run > rules.maxConsecutiveDays;
}

/** The cheap test of the rules that depend on the pair alone (mirrors memberShiftViolations + scheduleViolations). */
function staticEligible(m: M, s: S): boolean {
  const f = m.facts;
  const r = m.rules;
  if (f.status !== 'active') return false;
  if (r.requireSkills) for (const k of s.skills) if (!m.skills.has(k)) return false;
  if (r.requireLanguages) for (const k of s.languages) if (!m.languages.has(k)) return false;
  if (r.requireAvailability && m.available !== null && !m.available.has(s.facts.localDate)) return false;
  if (r.maxShiftHours !== null && s.hours > r.maxShiftHours) return false;
  if (s.hours > m.budget + 1e-9) return false;
  if (m.dayBlocked.has(s.facts.localDate)) return false;
  if (r.requireAccreditation && !f.cards.some((c) => cardCovers(c, s.facts))) return false;
  for (const o of m.others) if (o.id !== s.facts.id && conflicts(r, o, s.facts)) return false;
  return true;
}

/** Builds the working state: members, shifts, candidates. */
function prepare(input: RosterInput): { members: M[]; shifts: S[]; memberIndex: Map<string, number> } {
  const days = [...new Set(input.shifts.map((s) => s.facts.localDate))].sort();
  const lastDay = days[days.length - 1] ?? '1970-01-01';
  const members: M[] = input.members.map((facts) => {
    const rules = input.rules[facts.type];
    const others = input.others.get(facts.id) ?? [];
    const dayBlocked = new Set(days.filter((d) => consecutiveBlocked(rules, others, d)));
    const budget = Math.min(...days.map((d) => weeklyBudget(rules, others, d)), Number.POSITIVE_INFINITY);
    let prior = 0;
    const from = addDays(lastDay, -6);
    for (const o of others) if (o.localDate >= from && o.localDate <= lastDay) prior += (o.end - o.start) / HOUR;
    return {
      facts,
      rules,
      skills: new Set(lower(facts.skills)),
      languages: new Set(lower(facts.languages)),
      available: facts.availableDates.length === 0 ? null : new Set(facts.availableDates),
      others,
      budget,
      prior,
      plan: [],
      planHours: 0,
      dayBlocked,
      eligible: [],
    };
  });
  const memberIndex = new Map(members.map((m, i) => [m.facts.id, i]));
  const shifts: S[] = input.shifts.map((shift) => ({
    input: shift,
    facts: shift.facts,
    hours: (shift.facts.end - shift.facts.start) / HOUR,
    skills: lower(shift.facts.requiredSkills),
    languages: lower(shift.facts.requiredLanguages),
    fixed: [],
    movable: [],
    candidates: [],
    candidateSet: new Set(),
  }));
  for (let si = 0; si < shifts.length; si++) {
    const s = shifts[si];
    for (let mi = 0; mi < members.length; mi++) {
      if (staticEligible(members[mi], s)) {
        s.candidates.push(mi);
        members[mi].eligible.push(si);
      }
    }
    s.candidateSet = new Set(s.candidates);
  }
  return { members, shifts, memberIndex };
}

/** The member may take shift si besides the plan's shifts it holds (except `without`). */
function canAdd(m: M, shifts: readonly S[], si: number, without = -1): boolean {
  const s = shifts[si];
  let hours = m.planHours + s.hours;
  for (const pi of m.plan) {
    if (pi === without) {
      hours -= shifts[pi].hours;
      continue;
    }
    if (conflicts(m.rules, shifts[pi].facts, s.facts)) return false;
  }
  return hours <= m.budget + 1e-9;
}

function place(m: M, mi: number, shifts: S[], si: number, fixed: boolean): void {
  m.plan.push(si);
  m.planHours += shifts[si].hours;
  (fixed ? shifts[si].fixed : shifts[si].movable).push(mi);
}

function unplace(m: M, mi: number, shifts: S[], si: number): void {
  m.plan.splice(m.plan.indexOf(si), 1);
  m.planHours -= shifts[si].hours;
  const list = shifts[si].movable;
  list.splice(list.indexOf(mi), 1);
}

/** The soft cost of member m on shift s (lower is better), given the hours m already has. */
function pairCost(m: M, s: S, hoursBefore: number, keepBonus: boolean): number {
  const w = m.rules.weights;
  // Fairness: the rise of the member's squared weekly hours, scaled so that an 8 h shift on a member with no hours costs 1.
  let cost = (w.fairness * s.hours * (2 * hoursBefore + s.hours)) / 64;
  const prefs = m.facts.preferences;
  const venues = prefs.venues ?? [];
  if (s.facts.venue === m.facts.homeVenue || venues.includes(s.facts.venue)) cost -= w.preferredVenue;
  const areas = prefs.functionalAreas ?? [];
  if (s.facts.functionalArea === m.facts.functionalArea || areas.includes(s.facts.functionalArea)) cost -= w.preferredFunctionalArea;
  const hour = s.input.startLocalHour;
  if (hour !== undefined && prefs.shiftStarts) {
    if ((prefs.shiftStarts === 'early') === hour < 12) cost -= w.preferredStart;
  }
  // Stability: an unpublished assignment of the previous plan is kept unless something clearly better exists.
  if (keepBonus) cost -= 0.25;
  return cost;
}

const RULE_PHRASES: Record<RuleName, string> = {
  'no-overlap': 'are on an overlapping shift',
  'min-rest': 'would break min-rest',
  'max-shift-length': 'may not work a shift this long',
  'max-consecutive-days': 'would break max-consecutive-days',
  'max-hours-per-week': 'would break max-hours-per-week',
  'required-skill': 'lack skill',
  'required-language': 'lack language',
  availability: 'are not available',
  accreditation: 'lack an accreditation for the venue and time',
  'member-released': 'are released',
};

function now(): number {
  return performance.now();
}

/** The auto-roster. */
export function planRoster(input: RosterInput): RosterPlan {
  const started = now();
  const searchMs = input.searchMs ?? 2000;
  const deadline = started + (input.deadlineMs ?? 6000);
  const { members, shifts, memberIndex } = prepare(input);
  const phases = { prepare: now() - started, construct: 0, augment: 0, search: 0 };
  let mark = now();
  const lap = (phase: 'construct' | 'augment' | 'search') => {
    phases[phase] = now() - mark;
    mark = now();
  };
  const remove: RemovedAssignment[] = [];
  const keepBonus = new Set<number>(); // mi * shifts + si of unpublished roster assignments still valid
  const keptExisting = new Map<string, ExistingAssignment>();

  // 1. Existing assignments: manual ones fixed as they are; published roster ones fixed while valid; unpublished ones
  // kept as a starting point while valid. Published first, so that a published one wins a conflict.
  const existing = shifts.flatMap((s, si) => s.input.assigned.map((a) => ({ a, si })));
  const rank = (a: ExistingAssignment) => (a.source === 'manual' ? 0 : a.published ? 1 : 2);
  existing.sort((x, y) => rank(x.a) - rank(y.a));
  for (const { a, si } of existing) {
    const s = shifts[si];
    const mi = memberIndex.get(a.memberId);
    const record: PlannedAssignment = { shiftId: s.facts.id, memberId: a.memberId, assignmentId: a.assignmentId, published: a.published };
    if (a.source === 'manual') {
      // Never the roster's to move; a member not among the plan's members still takes the place.
      if (mi === undefined) s.fixed.push(-1);
      else place(members[mi], mi, shifts, si, true);
      keptExisting.set(`${a.memberId}:${s.facts.id}`, a);
      continue;
    }
    let violations: Violation[];
    if (mi === undefined) violations = [{ rule: 'member-released', message: 'member not among the members rostered (withdrawn or released)' }];
    else {
      const m = members[mi];
      const planned = m.plan.map((pi) => shifts[pi].facts);
      violations = checkAssignment(m.rules, m.facts, s.facts, [...m.others, ...planned]);
    }
    if (violations.length > 0 || s.fixed.length + s.movable.length >= s.input.headcount) {
      remove.push({ ...record, reason: violations.length > 0 ? violations : 're-planned' });
      continue;
    }
    place(members[mi as number], mi as number, shifts, si, a.published);
    keptExisting.set(`${a.memberId}:${s.facts.id}`, a);
    if (!a.published) keepBonus.add((mi as number) * shifts.length + si);
  }
  const isFixed = (mi: number, si: number) => shifts[si].fixed.includes(mi);
  const costOf = (mi: number, si: number, hoursBefore = members[mi].prior + members[mi].planHours) =>
    pairCost(members[mi], shifts[si], hoursBefore, keepBonus.has(mi * shifts.length + si));
  const open = (s: S) => s.input.headcount - s.fixed.length - s.movable.length;

  // 2. Construction: scarcest shifts first (fewest candidates per open place), each place to the cheapest candidate.
  const order = shifts.map((_, si) => si).filter((si) => open(shifts[si]) > 0);
  order.sort((a, b) => shifts[a].candidates.length / Math.max(1, open(shifts[a])) - shifts[b].candidates.length / Math.max(1, open(shifts[b])));
  for (const si of order) {
    const s = shifts[si];
    while (open(s) > 0) {
      let best = -1;
      let bestCost = Number.POSITIVE_INFINITY;
      for (const mi of s.candidates) {
        const m = members[mi];
        if (m.plan.includes(si) || !canAdd(m, shifts, si)) continue;
        const c = costOf(mi, si);
        if (c < bestCost) {
          bestCost = c;
          best = mi;
        }
      }
      if (best < 0) break;
      place(members[best], best, shifts, si, false);
    }
  }

  lap('construct');

  // 3. Augmenting paths: an unfilled place of shift s0 takes member m1 from s1, whose place m2 takes from s2, ... until
  // a member who can simply be added. Breadth first (shortest chains, least disruption); a shift reached by a failed
  // search cannot be helped this round either.
  const augment = (s0: number, dead: Uint8Array): boolean => {
    const parentShift = new Int32Array(shifts.length).fill(-2); // shift -> the shift its member moves to
    const viaMember = new Int32Array(shifts.length).fill(-1); // shift -> the member moving out of it
    const seenMember = new Uint8Array(members.length);
    parentShift[s0] = -1;
    const queue = [s0];
    for (let q = 0; q < queue.length; q++) {
      const si = queue[q];
      for (const mi of shifts[si].candidates) {
        if (seenMember[mi]) continue;
        const m = members[mi];
        if (m.plan.includes(si)) continue;
        if (canAdd(m, shifts, si)) {
          // Found: m takes si; walk back, each previous member moving into the shift it was wanted for.
          place(m, mi, shifts, si, false);
          let cur = si;
          while (parentShift[cur] !== -1) {
            const mover = viaMember[cur];
            const target = parentShift[cur];
            unplace(members[mover], mover, shifts, cur);
            place(members[mover], mover, shifts, target, false);
            cur = target;
          }
          return true;
        }
        seenMember[mi] = 1;
        // m could take si by leaving one of its movable plan shifts: that shift then needs someone.
        for (const from of m.plan) {
          if (parentShift[from] !== -2 || dead[from] || isFixed(mi, from)) continue;
          if (!canAdd(m, shifts, si, from)) continue;
          parentShift[from] = si;
          viaMember[from] = mi;
          queue.push(from);
        }
      }
    }
    for (const si of queue) dead[si] = 1;
    return false;
  };
  let improved = true;
  while (improved && now() < deadline) {
    improved = false;
    const dead = new Uint8Array(shifts.length);
    for (let si = 0; si < shifts.length && now() < deadline; si++) {
      while (open(shifts[si]) > 0 && !dead[si] && augment(si, dead)) improved = true;
    }
  }

  lap('augment');

  // 4. Local search on the soft objective, the places filled unchanged.
  const searchEnd = Math.min(deadline, now() + searchMs);
  for (let pass = 0; pass < 20 && now() < searchEnd; pass++) {
    let changed = 0;
    // 4a. Replace an assigned member by a cheaper candidate who can take the shift.
    for (let si = 0; si < shifts.length && now() < searchEnd; si++) {
      const s = shifts[si];
      for (const mi of [...s.movable]) {
        const m = members[mi];
        const current = costOf(mi, si, m.prior + m.planHours - s.hours);
        let best = -1;
        let bestGain = 1e-6;
        for (const ci of s.candidates) {
          const c = members[ci];
          if (ci === mi || c.plan.includes(si) || !canAdd(c, shifts, si)) continue;
          const gain = current - costOf(ci, si);
          if (gain > bestGain) {
            bestGain = gain;
            best = ci;
          }
        }
        if (best >= 0) {
          unplace(m, mi, shifts, si);
          place(members[best], best, shifts, si, false);
          changed++;
        }
      }
    }
    // 4b. Swap two members between two shifts when both gain together.
    for (let mi = 0; mi < members.length && now() < searchEnd; mi++) {
      const m = members[mi];
      for (const a of [...m.plan]) {
        if (isFixed(mi, a) || !m.plan.includes(a)) continue;
        for (const b of m.eligible) {
          if (b === a || m.plan.includes(b) || !canAdd(m, shifts, b, a)) continue;
          const costA = costOf(mi, a, m.prior + m.planHours - shifts[a].hours);
          let done = false;
          for (const oi of shifts[b].movable) {
            const o = members[oi];
            if (!shifts[a].candidateSet.has(oi) || o.plan.includes(a) || !canAdd(o, shifts, a, b)) continue;
            const before = costA + costOf(oi, b, o.prior + o.planHours - shifts[b].hours);
            const after =
              costOf(mi, b, m.prior + m.planHours - shifts[a].hours) + costOf(oi, a, o.prior + o.planHours - shifts[b].hours);
            if (before - after > 1e-6) {
              unplace(m, mi, shifts, a);
              unplace(o, oi, shifts, b);
              place(m, mi, shifts, b, false);
              place(o, oi, shifts, a, false);
              changed++;
              done = true;
              break;
            }
          }
          if (done) break;
        }
      }
    }
    if (changed === 0) break;
  }
  lap('search');
  return finish(input, members, shifts, remove, keptExisting, started, phases, costOf);
}

/** Verification, the lists, the unfilled reasons and the metrics of a plan held in `members`/`shifts`. */
function finish(
  input: RosterInput,
  members: M[],
  shifts: S[],
  remove: RemovedAssignment[],
  keptExisting: Map<string, ExistingAssignment>,
  started: number,
  phases: Omit<RosterMetrics['phases'], 'finish'>,
  costOf: (mi: number, si: number, hoursBefore?: number) => number,
): RosterPlan {
  const finishing = now();
  // 5. Verification: every roster assignment of the plan re-checked by the rules engine against everything else the
  // member holds. A failure (a bug of the search) is dropped, never written.
  let checked = 0;
  let dropped = 0;
  for (let mi = 0; mi < members.length; mi++) {
    const m = members[mi];
    for (const si of [...m.plan]) {
      if (isManual(keptExisting, m, shifts[si])) continue;
      checked++;
      const planned = m.plan.filter((pi) => pi !== si).map((pi) => shifts[pi].facts);
      if (checkAssignment(m.rules, m.facts, shifts[si].facts, [...m.others, ...planned]).length > 0) {
        dropped++;
        if (shifts[si].fixed.includes(mi)) {
          shifts[si].fixed.splice(shifts[si].fixed.indexOf(mi), 1);
          m.plan.splice(m.plan.indexOf(si), 1);
          m.planHours -= shifts[si].hours;
        } else unplace(m, mi, shifts, si);
      }
    }
  }

  const add: PlannedAssignment[] = [];
  const keep: PlannedAssignment[] = [];
  const inPlan = new Set<string>();
  for (const s of shifts) {
    const byMember = new Map(s.input.assigned.map((a) => [a.memberId, a]));
    for (const mi of [...s.fixed, ...s.movable]) {
      if (mi < 0) continue;
      const memberId = members[mi].facts.id;
      inPlan.add(`${memberId}:${s.facts.id}`);
      const before = byMember.get(memberId);
      if (before) keep.push({ shiftId: s.facts.id, memberId, assignmentId: before.assignmentId, published: before.published });
      else add.push({ shiftId: s.facts.id, memberId, published: false });
    }
    for (const a of s.input.assigned) {
      // A manual assignment of a member outside the plan's members still holds its place.
      if (a.source === 'manual' && !inPlan.has(`${a.memberId}:${s.facts.id}`) && keptExisting.has(`${a.memberId}:${s.facts.id}`)) {
        inPlan.add(`${a.memberId}:${s.facts.id}`);
        keep.push({ shiftId: s.facts.id, memberId: a.memberId, assignmentId: a.assignmentId, published: a.published });
      }
    }
  }
  // An existing assignment set aside in step 1 but chosen again is kept, not removed and added.
  const stillRemoved = remove.filter((r) => !inPlan.has(`${r.memberId}:${r.shiftId}`));
  remove.length = 0;
  remove.push(...stillRemoved);
  const removedKeys = new Set(remove.map((r) => `${r.memberId}:${r.shiftId}`));
  for (const s of shifts) {
    for (const a of s.input.assigned) {
      const key = `${a.memberId}:${s.facts.id}`;
      if (inPlan.has(key) || removedKeys.has(key)) continue;
      remove.push({ shiftId: s.facts.id, memberId: a.memberId, assignmentId: a.assignmentId, published: a.published, reason: 're-planned' });
    }
  }

  // Unfilled places and why: every member checked against the shift by the rules engine.
  const unfilled: UnfilledShift[] = [];
  for (const s of shifts) {
    const openPlaces = s.input.headcount - s.fixed.length - s.movable.length;
    if (openPlaces <= 0) continue;
    const counts = new Map<string, UnfilledReason>();
    let eligibleButTaken = 0;
    for (const m of members) {
      if (m.plan.some((pi) => shifts[pi] === s)) continue;
      // Why the member cannot take it at all (the rules against the member's assignments outside the plan); a member
      // who could but holds a conflicting shift of this plan counts as placed elsewhere.
      const violations = checkAssignment(m.rules, m.facts, s.facts, m.others);
      if (violations.length === 0) {
        eligibleButTaken++;
        continue;
      }
      const seen = new Set<string>();
      for (const v of violations) {
        const detail = v.rule === 'required-skill' || v.rule === 'required-language' ? String(v.limit) : undefined;
        const key = detail === undefined ? v.rule : `${v.rule}:${detail}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = counts.get(key) ?? { rule: v.rule, ...(detail === undefined ? {} : { detail }), members: 0 };
        entry.members++;
        counts.set(key, entry);
      }
    }
    const reasons = [...counts.values()].sort((a, b) => b.members - a.members || a.rule.localeCompare(b.rule));
    const phrases = reasons.map((r) => `${r.members} ${RULE_PHRASES[r.rule]}${r.detail === undefined ? '' : ` ${r.detail}`}`);
    if (eligibleButTaken > 0) phrases.push(`${eligibleButTaken} eligible but placed on other shifts of the plan`);
    const head = eligibleButTaken > 0 ? 'not enough members' : 'no eligible member';
    unfilled.push({ shiftId: s.facts.id, open: openPlaces, eligibleButTaken, reasons, message: `${head}: ${phrases.join(', ') || 'no members'}` });
  }

  // Metrics.
  const places = shifts.reduce((t, s) => t + s.input.headcount, 0);
  const filled = shifts.reduce((t, s) => t + Math.min(s.input.headcount, s.fixed.length + s.movable.length), 0);
  const couldWork = members.filter((m) => m.eligible.length > 0 || m.plan.length > 0);
  const hours = couldWork.map((m) => m.prior + m.planHours);
  const mean = hours.reduce((t, h) => t + h, 0) / Math.max(1, hours.length);
  const variance = hours.reduce((t, h) => t + (h - mean) ** 2, 0) / Math.max(1, hours.length);
  const min = hours.length > 0 ? Math.min(...hours) : 0;
  const max = hours.length > 0 ? Math.max(...hours) : 0;
  let objective = 0;
  for (let mi = 0; mi < members.length; mi++) {
    const m = members[mi];
    let before = m.prior;
    for (const si of m.plan) {
      objective += costOf(mi, si, before);
      before += shifts[si].hours;
    }
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  const moved = remove.filter((r) => r.published).length;
  return {
    add,
    remove,
    keep,
    counts: { added: add.length, removed: remove.length, kept: keep.length, keptPublished: keep.filter((k) => k.published).length, moved },
    unfilled,
    metrics: {
      places,
      filled,
      filledShare: places === 0 ? 1 : Math.round((filled / places) * 10_000) / 10_000,
      membersWhoCouldWork: couldWork.length,
      hours: { min: round(min), max: round(max), spread: round(max - min), stddev: round(Math.sqrt(variance)), mean: round(mean) },
      objective: round(objective),
      ms: Math.round(now() - started),
      phases: {
        prepare: Math.round(phases.prepare),
        construct: Math.round(phases.construct),
        augment: Math.round(phases.augment),
        search: Math.round(phases.search),
        finish: Math.round(now() - finishing),
      },
    },
    verification: { checked, dropped },
  };
}

function isManual(kept: Map<string, ExistingAssignment>, m: M, s: S): boolean {
  return kept.get(`${m.facts.id}:${s.facts.id}`)?.source === 'manual';
}

/**
 * The greedy baseline: shifts in the order given, each place to the first member in the order given who may take it
 * (the same eligibility and in-plan rules). Existing assignments are treated as in planRoster (step 1).
 */
export function planGreedy(input: RosterInput): RosterPlan {
  const started = now();
  const { members, shifts, memberIndex } = prepare(input);
  const prepared = now() - started;
  const remove: RemovedAssignment[] = [];
  const keptExisting = new Map<string, ExistingAssignment>();
  for (let si = 0; si < shifts.length; si++) {
    const s = shifts[si];
    for (const a of s.input.assigned) {
      const mi = memberIndex.get(a.memberId);
      const record: PlannedAssignment = { shiftId: s.facts.id, memberId: a.memberId, assignmentId: a.assignmentId, published: a.published };
      if (a.source === 'manual') {
        if (mi === undefined) s.fixed.push(-1);
        else place(members[mi], mi, shifts, si, true);
        keptExisting.set(`${a.memberId}:${s.facts.id}`, a);
        continue;
      }
      const m = mi === undefined ? undefined : members[mi];
      const ok = m !== undefined && s.candidateSet.has(mi as number) && canAdd(m, shifts, si) && s.fixed.length + s.movable.length < s.input.headcount;
      if (!ok) {
        remove.push({ ...record, reason: m === undefined ? [{ rule: 'member-released', message: 'member not among the members rostered' }] : 're-planned' });
        continue;
      }
      place(m, mi as number, shifts, si, true);
      keptExisting.set(`${a.memberId}:${s.facts.id}`, a);
    }
  }
  for (let si = 0; si < shifts.length; si++) {
    const s = shifts[si];
    for (const mi of s.candidates) {
      if (s.input.headcount - s.fixed.length - s.movable.length <= 0) break;
      const m = members[mi];
      if (!m.plan.includes(si) && canAdd(m, shifts, si)) place(m, mi, shifts, si, false);
    }
  }
  const costOf = (mi: number, si: number, hoursBefore = members[mi].prior + members[mi].planHours) =>
    pairCost(members[mi], shifts[si], hoursBefore, false);
  return finish(input, members, shifts, remove, keptExisting, started, { prepare: prepared, construct: now() - started - prepared, augment: 0, search: 0 }, costOf);
}
