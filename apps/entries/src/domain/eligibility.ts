/**
 * The entry rules engine: pure functions that decide whether an Entry by Number or an Entry by Name respects an
 * event's rules, and explain every decision (the rule, and the numbers behind it).
 */
import { ageOn } from './age';
import { eventLabel, personLabel, plural } from './labels';
import { isBetter, meetsStandard, parseMark } from './marks';
import { describeDeadline, type ResolvedDeadlines } from './rules-pack';
import type { AgeLimit, EventRule, QuotaKind, Standard } from './rules-pack.schema';

/** Stable codes of the rules an entry is checked against (also the `rule` of a violation). */
export const RULES = [
  'no-entry-rules',
  'deadline-passed',
  'late-replacement-closed',
  'replacement',
  'eligibility-not-confirmed',
  'entry-type',
  'athlete-of-other-noc',
  'duplicate-athlete',
  'already-entered',
  'gender',
  'age-limit',
  'team-size',
  'team-composition',
  'max-entries-per-noc',
  'field-size',
  'entry-by-number',
  'standard-not-met',
  'standard-outside-window',
  'no-quota-place',
  'named-quota-place',
] as const;
export type RuleCode = (typeof RULES)[number];

export type Basis = 'ENTRY_STANDARD' | 'QUOTA_NOC' | 'QUOTA_ATHLETE' | 'UNIVERSALITY' | 'OPEN';

/** A failed rule: what, why (with the numbers), and the request field it is about. */
export interface Violation {
  rule: RuleCode;
  message: string;
  field: string;
}

/** A passed rule, kept with the entry so that it explains why it was accepted. */
export interface Decision {
  rule: string;
  message: string;
}

export interface PerformanceFacts {
  event: string;
  mark: string;
  value: number;
  achievedOn: string;
}

export interface AthleteFacts {
  id: string;
  ifId: string | null;
  noc: string;
  familyName: string;
  givenName: string;
  gender: 'M' | 'W';
  birthDate: string;
  /** Marks in this event (others are ignored). */
  performances: readonly PerformanceFacts[];
  /** Events the athlete has an active entry in (the entry under evaluation excluded). */
  enteredIn: readonly string[];
}

export interface MemberFacts {
  athlete: AthleteFacts;
  role: 'STARTER' | 'ALTERNATE';
  slot: string | null;
}

export interface PlaceFacts {
  id: string;
  kind: QuotaKind;
  noc: string;
  athleteIfId: string | null;
  /** Id of the active entry using the place, if any. */
  usedBy: string | null;
}

export interface EntryContext {
  now: Date;
  deadlines: ResolvedDeadlines;
  rule: EventRule;
  /** Gender of the event as published by schedules (M, W, X mixed, O open). */
  eventGender: string;
  noc: string;
  /** 'individual' when the request named one athlete, 'team' when it gave members. */
  requestType: 'individual' | 'team';
  members: readonly MemberFacts[];
  eligibilityConfirmed: boolean;
  /** Active entries of the NOC in the event (the entry under evaluation excluded). */
  nocEntries: number;
  /** Active entries in the event over all NOCs (the entry under evaluation excluded). */
  totalEntries: number;
  /** The NOC's Entry by Number for the event, null when it made none. */
  entryNumber: number | null;
  /** ALLOCATED quota places of the event. */
  places: readonly PlaceFacts[];
  /** Id of the entry being re-evaluated (Late Athlete Replacement): the place it uses counts as free for it. */
  entryId?: string;
  /**
   * 'entry': a new Entry by Name (every rule). 'replacement': a Late Athlete Replacement in an existing entry
   * (no deadline, limit or Entry by Number check: the entry already holds its place in the event).
   */
  mode: 'entry' | 'replacement';
}

export interface Evaluation {
  accepted: boolean;
  basis: Basis | null;
  quotaPlaceId: string | null;
  decisions: Decision[];
  violations: Violation[];
}

const GENDER_WORD: Record<string, string> = { M: "men's", W: "women's" };

function memberField(ctx: EntryContext, index: number): string {
  return ctx.requestType === 'individual' ? 'body.athleteId' : `body.members[${index}].athleteId`;
}

/** Evaluates an Entry by Name (or a replacement) against the event's rules. */
export function evaluateEntry(ctx: EntryContext): Evaluation {
  const violations: Violation[] = [];
  const decisions: Decision[] = [];
  const fail = (rule: RuleCode, message: string, field = 'body') => violations.push({ rule, message, field });
  const pass = (rule: string, message: string) => decisions.push({ rule, message });
  const { rule, noc } = ctx;
  const event = eventLabel(rule.event);

  if (ctx.mode === 'entry') {
    const deadline = ctx.deadlines.entryByName;
    if (ctx.now.getTime() > deadline.utc.getTime()) {
      fail(
        'deadline-passed',
        `Entry by Name for ${event} closed at ${describeDeadline(deadline)}; only a Late Athlete Replacement is possible now`,
      );
    } else {
      pass('deadline', `Entry by Name for ${event} is open until ${describeDeadline(deadline)}`);
    }
  }
  if (!ctx.eligibilityConfirmed) {
    fail(
      'eligibility-not-confirmed',
      `Entry by Name needs the NOC to confirm the eligibility of every athlete (eligibilityConfirmed: true)`,
      'body.eligibilityConfirmed',
    );
  }

  if (ctx.requestType !== rule.type) {
    fail(
      'entry-type',
      rule.type === 'team'
        ? `${event} is a team event: give the team's members`
        : `${event} is an individual event: give one athleteId`,
    );
  }

  const seen = new Set<string>();
  ctx.members.forEach((m, i) => {
    const who = personLabel(m.athlete);
    const field = memberField(ctx, i);
    if (seen.has(m.athlete.id)) fail('duplicate-athlete', `${who} is listed twice`, field);
    seen.add(m.athlete.id);
    if (m.athlete.noc !== noc) fail('athlete-of-other-noc', `${who} is an athlete of NOC ${m.athlete.noc}, not ${noc}`, field);
    if (m.athlete.enteredIn.includes(rule.event)) fail('already-entered', `${who} is already entered in ${event}`, field);
    if ((ctx.eventGender === 'M' || ctx.eventGender === 'W') && m.athlete.gender !== ctx.eventGender) {
      fail('gender', `${event} is a ${GENDER_WORD[ctx.eventGender]} event; ${who} is ${m.athlete.gender}`, field);
    }
    if (rule.age) checkAge(rule.age, m.athlete, field, fail, pass);
  });

  if (rule.type === 'team' && ctx.requestType === 'team' && rule.team) {
    checkTeam(ctx, fail, pass);
  }

  if (ctx.mode === 'entry') {
    if (ctx.nocEntries >= rule.maxPerNoc) {
      fail('max-entries-per-noc', `NOC ${noc} already has ${ctx.nocEntries} entries in ${event}, maximum ${rule.maxPerNoc}`);
    } else {
      pass('max-entries-per-noc', `NOC ${noc} has ${ctx.nocEntries} of at most ${rule.maxPerNoc} entries in ${event}`);
    }
    if (rule.fieldSize !== undefined) {
      if (ctx.totalEntries >= rule.fieldSize) {
        fail('field-size', `${event} is full: ${ctx.totalEntries} of ${rule.fieldSize} places are taken`);
      } else {
        pass('field-size', `${event} has ${ctx.totalEntries} of ${rule.fieldSize} places taken`);
      }
    }
    if (ctx.entryNumber === null) {
      fail('entry-by-number', `NOC ${noc} made no Entry by Number for ${event}: make it before the Entry by Name`);
    } else if (ctx.nocEntries >= ctx.entryNumber) {
      fail(
        'entry-by-number',
        `NOC ${noc} declared ${plural(ctx.entryNumber, 'entry', 'entries')} by number in ${event} and already has ${ctx.nocEntries} by name`,
      );
    } else {
      pass('entry-by-number', `NOC ${noc} declared ${plural(ctx.entryNumber, 'entry', 'entries')} by number in ${event}`);
    }
  }

  const qualification = qualify(ctx);
  violations.push(...qualification.violations);
  decisions.push(...qualification.decisions);

  const accepted = violations.length === 0;
  return {
    accepted,
    basis: accepted ? qualification.basis : null,
    quotaPlaceId: accepted ? qualification.quotaPlaceId : null,
    decisions,
    violations,
  };
}

function checkAge(
  age: AgeLimit,
  athlete: AthleteFacts,
  field: string,
  fail: (rule: RuleCode, message: string, field?: string) => void,
  pass: (rule: string, message: string) => void,
): void {
  const years = ageOn(athlete.birthDate, age.at);
  const who = personLabel(athlete);
  if (age.min !== undefined && years < age.min) {
    fail('age-limit', `${who} is ${years} on ${age.at}, minimum age ${age.min}`, field);
  } else if (age.max !== undefined && years > age.max) {
    fail('age-limit', `${who} is ${years} on ${age.at}, maximum age ${age.max}`, field);
  } else {
    pass('age-limit', `${who} is ${years} on ${age.at}`);
  }
}

function checkTeam(
  ctx: EntryContext,
  fail: (rule: RuleCode, message: string, field?: string) => void,
  pass: (rule: string, message: string) => void,
): void {
  const team = ctx.rule.team;
  if (!team) return;
  const event = eventLabel(ctx.rule.event);
  const starters = ctx.members.filter((m) => m.role === 'STARTER');
  const alternates = ctx.members.filter((m) => m.role === 'ALTERNATE');
  const range = team.starters.min === team.starters.max ? `${team.starters.min}` : `${team.starters.min} to ${team.starters.max}`;
  if (starters.length < team.starters.min || starters.length > team.starters.max) {
    fail('team-size', `${event} needs ${range} starters, got ${starters.length}`, 'body.members');
  } else {
    pass('team-size', `${plural(starters.length, 'starter')} (${range} needed)`);
  }
  if (alternates.length > team.alternates.max) {
    fail('team-size', `${event} allows at most ${plural(team.alternates.max, 'alternate')}, got ${alternates.length}`, 'body.members');
  }
  const composition = team.composition;
  if (!composition) return;

  let ok = true;
  const bad = (message: string, field: string) => {
    ok = false;
    fail('team-composition', message, field);
  };
  ctx.members.forEach((m, i) => {
    const who = personLabel(m.athlete);
    const field = `body.members[${i}]`;
    if (m.role === 'ALTERNATE') {
      if (!composition.some((s) => s.gender === m.athlete.gender)) bad(`Alternate ${who} (${m.athlete.gender}) fits no slot of ${event}`, field);
      return;
    }
    const slot = composition.find((s) => s.slot === m.slot);
    if (!slot) {
      bad(`Starter ${who} needs a slot of ${event}: one of ${composition.map((s) => `'${s.slot}'`).join(', ')}`, `${field}.slot`);
      return;
    }
    if (slot.gender !== m.athlete.gender) {
      bad(`Starter ${who} (${m.athlete.gender}) is in slot '${slot.slot}', which is for ${slot.gender}`, `${field}.slot`);
    }
    if (slot.requiresEntryIn && !slot.requiresEntryIn.some((rsc) => m.athlete.enteredIn.includes(rsc))) {
      bad(
        `Starter ${who} in slot '${slot.slot}' must also be entered in ${slot.requiresEntryIn.map(eventLabel).join(' or ')}, and is not`,
        `${field}.athleteId`,
      );
    }
  });
  for (const slot of composition) {
    const n = starters.filter((m) => m.slot === slot.slot).length;
    if (n !== slot.count) bad(`Slot '${slot.slot}' (${slot.gender}) needs ${plural(slot.count, 'starter')}, got ${n}`, 'body.members');
  }
  if (ok) {
    pass('team-composition', `Composition of ${event} respected: ${composition.map((s) => `${s.count} ${s.slot}`).join(', ')}`);
  }
}

interface Qualification {
  basis: Basis | null;
  quotaPlaceId: string | null;
  decisions: Decision[];
  violations: Violation[];
}

function isFree(place: PlaceFacts, ctx: EntryContext): boolean {
  return place.usedBy === null || (ctx.entryId !== undefined && place.usedBy === ctx.entryId);
}

/** Which basis the entry qualifies on: a named place, the standard, an NOC place, a universality place, or open. */
function qualify(ctx: EntryContext): Qualification {
  const { rule, noc } = ctx;
  const event = eventLabel(rule.event);
  const out: Qualification = { basis: null, quotaPlaceId: null, decisions: [], violations: [] };
  const ok = (basis: Basis, quotaPlaceId: string | null, message: string) => {
    out.basis = basis;
    out.quotaPlaceId = quotaPlaceId;
    out.decisions.push({ rule: 'qualification', message });
  };
  const fail = (r: RuleCode, message: string, field = 'body') => out.violations.push({ rule: r, message, field });

  if (rule.qualification === 'open') {
    ok('OPEN', null, `${event} is open: no entry standard or quota place is needed`);
    return out;
  }
  const nocPlaces = ctx.places.filter((p) => p.noc === noc);
  const universality = nocPlaces.find((p) => p.kind === 'UNIVERSALITY' && isFree(p, ctx));
  const individual = rule.type === 'individual' ? ctx.members[0]?.athlete : undefined;

  if (individual) {
    const named = nocPlaces.find((p) => p.kind === 'ATHLETE' && p.athleteIfId !== null && p.athleteIfId === individual.ifId);
    if (named && isFree(named, ctx)) {
      ok('QUOTA_ATHLETE', named.id, `Quota place ${named.id} is allocated to ${personLabel(individual)} by name`);
      return out;
    }
  }

  const standard = individual && rule.standard ? checkStandard(rule.standard, individual, rule.event) : null;

  if (rule.qualification === 'entry-standard') {
    if (standard?.met) {
      ok('ENTRY_STANDARD', null, standard.message);
      return out;
    }
    if (universality) {
      ok('UNIVERSALITY', universality.id, `${standard ? `${standard.message}; ` : ''}NOC ${noc} uses its universality place ${universality.id}`);
      return out;
    }
    if (standard) fail(standard.rule, standard.message, memberField(ctx, 0));
    fail('no-quota-place', `NOC ${noc} holds no free universality place in ${event} to enter an athlete without the standard`);
    return out;
  }

  // quota-places
  const held = nocPlaces.filter((p) => p.kind === 'NOC');
  const free = held.find((p) => isFree(p, ctx));
  if (free && (!standard || standard.met)) {
    ok('QUOTA_NOC', free.id, `NOC ${noc} uses its quota place ${free.id}${standard ? `; ${standard.message}` : ''}`);
    return out;
  }
  if (universality) {
    ok('UNIVERSALITY', universality.id, `NOC ${noc} uses its universality place ${universality.id}`);
    return out;
  }
  if (free && standard && !standard.met) {
    fail(standard.rule, standard.message, memberField(ctx, 0));
    return out;
  }
  const namedElsewhere = individual ? ctx.places.find((p) => p.kind === 'ATHLETE' && p.athleteIfId === individual.ifId) : undefined;
  const used = held.length - (free ? 1 : 0);
  fail(
    'no-quota-place',
    `NOC ${noc} holds no free quota place in ${event} (holds ${held.length}, ${used} used)` +
      (namedElsewhere && individual ? `; the place named to ${personLabel(individual)} is already used` : ''),
  );
  return out;
}

export interface StandardCheck {
  met: boolean;
  rule: 'standard-not-met' | 'standard-outside-window';
  message: string;
}

/** Whether an athlete achieved the entry standard within the qualification window, explained with the marks. */
export function checkStandard(standard: Standard, athlete: AthleteFacts, event: string): StandardCheck {
  const label = eventLabel(event);
  const who = personLabel(athlete);
  const parsed = parseMark(standard.measure, standard.mark);
  const { from, to } = standard.window;
  const better = standard.better === 'lower' ? 'lower is better' : 'higher is better';
  if (!parsed.ok) return { met: false, rule: 'standard-not-met', message: `The standard of ${label} is unreadable: ${parsed.error}` };
  const marks = athlete.performances.filter((p) => p.event === event);
  const inWindow = marks.filter((p) => p.achievedOn >= from && p.achievedOn <= to);
  const best = (list: readonly PerformanceFacts[]) =>
    list.reduce<PerformanceFacts | undefined>((b, p) => (b === undefined || isBetter(p.value, b.value, standard.better) ? p : b), undefined);

  const bestMeeting = best(inWindow.filter((p) => meetsStandard(p.value, parsed.value, standard.better)));
  if (bestMeeting) {
    return {
      met: true,
      rule: 'standard-not-met',
      message: `Entry standard met: ${who} achieved ${bestMeeting.mark} on ${bestMeeting.achievedOn} (standard ${standard.mark}, ${better}, window ${from} to ${to})`,
    };
  }
  const outside = best(marks.filter((p) => !inWindow.includes(p) && meetsStandard(p.value, parsed.value, standard.better)));
  if (outside) {
    const when = outside.achievedOn > to ? 'after the window closed' : 'before the window opened';
    return {
      met: false,
      rule: 'standard-outside-window',
      message: `Entry standard not met within the qualification window of ${label} (${from} to ${to}): ${who}'s ${outside.mark} on ${outside.achievedOn} was achieved ${when} (standard ${standard.mark})`,
    };
  }
  const bestInWindow = best(inWindow);
  if (bestInWindow) {
    return {
      met: false,
      rule: 'standard-not-met',
      message: `Entry standard not met: best mark of ${who} in ${label} between ${from} and ${to} is ${bestInWindow.mark}, standard ${standard.mark} (${better})`,
    };
  }
  return {
    met: false,
    rule: 'standard-not-met',
    message: `Entry standard not met: ${who} has no mark in ${label} between ${from} and ${to} (standard ${standard.mark}, ${better})`,
  };
}

export interface EntryNumberContext {
  now: Date;
  deadlines: ResolvedDeadlines;
  rule: EventRule;
  noc: string;
  count: number;
  /** Active entries by name of the NOC in the event. */
  byName: number;
  /** Quota places the NOC holds in the event (every kind, ALLOCATED). */
  placesHeld: number;
}

/** Evaluates an Entry by Number (how many athletes or teams the NOC will enter). */
export function evaluateEntryNumber(ctx: EntryNumberContext): { accepted: boolean; decisions: Decision[]; violations: Violation[] } {
  const violations: Violation[] = [];
  const decisions: Decision[] = [];
  const event = eventLabel(ctx.rule.event);
  const deadline = ctx.deadlines.entryByNumber;
  if (ctx.now.getTime() > deadline.utc.getTime()) {
    violations.push({ rule: 'deadline-passed', field: 'body', message: `Entry by Number for ${event} closed at ${describeDeadline(deadline)}` });
  } else {
    decisions.push({ rule: 'deadline', message: `Entry by Number for ${event} is open until ${describeDeadline(deadline)}` });
  }
  if (ctx.count > ctx.rule.maxPerNoc) {
    violations.push({
      rule: 'max-entries-per-noc',
      field: 'body.count',
      message: `NOC ${ctx.noc} cannot enter ${ctx.count} in ${event}, maximum ${ctx.rule.maxPerNoc}`,
    });
  }
  if (ctx.count < ctx.byName) {
    violations.push({
      rule: 'entry-by-number',
      field: 'body.count',
      message: `NOC ${ctx.noc} already has ${ctx.byName} entries by name in ${event}: withdraw some before lowering the number to ${ctx.count}`,
    });
  }
  if (ctx.rule.qualification === 'quota-places' && ctx.count > ctx.placesHeld) {
    violations.push({
      rule: 'no-quota-place',
      field: 'body.count',
      message: `NOC ${ctx.noc} holds ${plural(ctx.placesHeld, 'quota place')} in ${event}; an Entry by Number of ${ctx.count} exceeds it`,
    });
  }
  if (violations.length === 0) {
    decisions.push({ rule: 'entry-by-number', message: `NOC ${ctx.noc} will enter ${ctx.count} in ${event} (maximum ${ctx.rule.maxPerNoc})` });
  }
  return { accepted: violations.length === 0, decisions, violations };
}
