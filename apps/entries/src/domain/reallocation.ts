import { ageOn } from './age';
import { eventLabel } from './labels';
import type { EventRule, QuotaKind, Ranking } from './rules-pack.schema';

export interface RankedCandidate {
  rank: number;
  noc: string;
  athlete?: string;
  name?: string;
}

export interface AllocatedPlace {
  id: string;
  kind: QuotaKind;
  noc: string;
  athleteIfId: string | null;
}

export interface KnownAthlete {
  gender: 'M' | 'W';
  birthDate: string;
  noc: string;
}

export interface ReallocationInput {
  rule: EventRule;
  /** Gender of the event (M, W, X, O). */
  eventGender: string;
  declined: AllocatedPlace;
  ranking: Ranking | undefined;
  /** ALLOCATED places of the event once the declined one is out. */
  places: readonly AllocatedPlace[];
  /** NOCs that declined a place in this event (the declining NOC included). */
  decliningNocs: ReadonlySet<string>;
  /** NOCs taking part in the edition. */
  nocs: ReadonlySet<string>;
  /** Athletes registered in the edition, by IF id (a ranked athlete not registered yet is not checked further). */
  athletes: ReadonlyMap<string, KnownAthlete>;
}

export interface ReallocationOutcome {
  to: RankedCandidate | null;
  /** The kind of the new place: ATHLETE when the candidate is an athlete, else NOC. */
  kind: QuotaKind;
  /** Candidates ranked above the one chosen (or all of them), and why each was passed over. */
  skipped: { rank: number; candidate: string; reason: string }[];
  explanation: string[];
}

function describe(c: RankedCandidate): string {
  if (c.athlete) return `${c.name ?? c.athlete} (${c.noc}, IF id ${c.athlete})`;
  return `NOC ${c.noc}`;
}

/**
 * Finds who a declined quota place passes to: the next-ranked eligible candidate of the event's ranking, skipping
 * NOCs that declined, candidates already holding a place, NOCs at their per-NOC maximum, and athletes failing the
 * gender or age rules. Pure: the caller writes the outcome.
 */
export function reallocate(input: ReallocationInput): ReallocationOutcome {
  const { rule, declined } = input;
  const event = eventLabel(rule.event);
  const skipped: ReallocationOutcome['skipped'] = [];
  const list = [...(input.ranking?.list ?? [])].sort((a, b) => a.rank - b.rank);
  if (list.length === 0) {
    return {
      to: null,
      kind: declined.kind === 'ATHLETE' ? 'ATHLETE' : 'NOC',
      skipped,
      explanation: [`${event} has no ranking in the rules pack: place ${declined.id} stays unallocated`],
    };
  }
  for (const candidate of list) {
    const reason = ineligibility(candidate, input);
    if (reason) {
      skipped.push({ rank: candidate.rank, candidate: describe(candidate), reason });
      continue;
    }
    const kind: QuotaKind = candidate.athlete ? 'ATHLETE' : 'NOC';
    return {
      to: candidate,
      kind,
      skipped,
      explanation: [
        `Reallocated from ${declined.id} declined by NOC ${declined.noc}: next-ranked eligible candidate ${describe(candidate)}, rank ${candidate.rank}`,
        ...skipped.map((s) => `Rank ${s.rank} ${s.candidate} passed over: ${s.reason}`),
      ],
    };
  }
  return {
    to: null,
    kind: declined.kind === 'ATHLETE' ? 'ATHLETE' : 'NOC',
    skipped,
    explanation: [
      `No eligible candidate in the ranking of ${event}: place ${declined.id} stays unallocated`,
      ...skipped.map((s) => `Rank ${s.rank} ${s.candidate} passed over: ${s.reason}`),
    ],
  };
}

function ineligibility(c: RankedCandidate, input: ReallocationInput): string | null {
  const { rule } = input;
  const event = eventLabel(rule.event);
  if (input.decliningNocs.has(c.noc)) return `NOC ${c.noc} declined a place in ${event}`;
  if (!input.nocs.has(c.noc)) return `NOC ${c.noc} does not take part in this edition`;
  if (c.athlete) {
    const holding = input.places.find((p) => p.kind === 'ATHLETE' && p.athleteIfId === c.athlete);
    if (holding) return `already holds quota place ${holding.id}`;
  }
  const held = input.places.filter((p) => p.noc === c.noc).length;
  if (held >= rule.maxPerNoc) return `NOC ${c.noc} already holds ${held} quota places in ${event}, maximum ${rule.maxPerNoc}`;
  if (c.athlete) {
    const athlete = input.athletes.get(c.athlete);
    if (athlete) {
      if (athlete.noc !== c.noc) return `the athlete is registered with NOC ${athlete.noc}, not ${c.noc}`;
      if ((input.eventGender === 'M' || input.eventGender === 'W') && athlete.gender !== input.eventGender) {
        return `${event} is for ${input.eventGender}; the athlete is ${athlete.gender}`;
      }
      if (rule.age) {
        const years = ageOn(athlete.birthDate, rule.age.at);
        if (rule.age.min !== undefined && years < rule.age.min) return `is ${years} on ${rule.age.at}, minimum age ${rule.age.min}`;
        if (rule.age.max !== undefined && years > rule.age.max) return `is ${years} on ${rule.age.at}, maximum age ${rule.age.max}`;
      }
    }
  }
  return null;
}
