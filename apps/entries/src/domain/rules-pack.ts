import { localToUtc, parseRsc, toLocalIso } from '@podium/odf';
import { parseMark } from './marks';
import { eventLabel } from './labels';
import { type Deadlines, type EventRule, type RulesPack, rulesPackSchema } from './rules-pack.schema';

/** 'events[0].standard.mark' from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export interface PackError {
  field: string;
  message: string;
}

export type ParsedPack = { ok: true; pack: RulesPack } | { ok: false; errors: PackError[] };

export const DEADLINE_KINDS = ['entryByNumber', 'entryByName', 'lateReplacement'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface ResolvedDeadline {
  /** As written in the pack (local wall-clock time). */
  local: string;
  utc: Date;
  /** ISO-8601 with the offset in force, e.g. 2024-07-08T23:59:00+02:00. */
  localIso: string;
  timeZone: string;
}

export type ResolvedDeadlines = Record<DeadlineKind, ResolvedDeadline>;

/** The deadlines of an event: the edition's, overridden by the event's own, resolved in the pack's time zone. */
export function deadlinesFor(pack: Pick<RulesPack, 'timeZone' | 'deadlines'>, rule: Pick<EventRule, 'deadlines'> | undefined): ResolvedDeadlines {
  const merged: Deadlines = { ...pack.deadlines, ...(rule?.deadlines ?? {}) };
  const resolve = (local: string): ResolvedDeadline => {
    const utc = localToUtc(local, pack.timeZone);
    return { local, utc, localIso: toLocalIso(utc, pack.timeZone), timeZone: pack.timeZone };
  };
  return {
    entryByNumber: resolve(merged.entryByNumber),
    entryByName: resolve(merged.entryByName),
    lateReplacement: resolve(merged.lateReplacement),
  };
}

/** '2024-07-08T23:59:00+02:00 (Europe/Paris)'. */
export function describeDeadline(d: ResolvedDeadline): string {
  return `${d.localIso} (${d.timeZone})`;
}

function isEventCode(rsc: string): boolean {
  const parsed = parseRsc(rsc);
  return parsed.ok && parsed.value.eventCode === rsc;
}

/**
 * Validates a rules pack (format podium.entry-rules/v1): the schema, then every cross-reference (events, NOCs,
 * places, rankings, deadlines in order, marks readable). Returns every error at once, with the field it is about.
 */
export function parseRulesPack(input: unknown): ParsedPack {
  const parsed = rulesPackSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ field: formatPath(i.path) || 'pack', message: i.message })) };
  }
  const pack = parsed.data;
  const errors: PackError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });

  const nocs = new Set<string>();
  pack.nocs.forEach((n, i) => {
    if (nocs.has(n.code)) err(`nocs[${i}].code`, `NOC ${n.code} is listed twice`);
    nocs.add(n.code);
  });

  const checkDeadlines = (field: string, rule: EventRule | undefined) => {
    let resolved: ResolvedDeadlines;
    try {
      resolved = deadlinesFor(pack, rule);
    } catch (error) {
      err(field, error instanceof Error ? error.message : String(error));
      return;
    }
    if (resolved.entryByName.utc < resolved.entryByNumber.utc) {
      err(`${field}.entryByName`, `Entry by Name (${resolved.entryByName.local}) must not close before Entry by Number (${resolved.entryByNumber.local})`);
    }
    if (resolved.lateReplacement.utc < resolved.entryByName.utc) {
      err(`${field}.lateReplacement`, `Late Athlete Replacement (${resolved.lateReplacement.local}) must not close before Entry by Name (${resolved.entryByName.local})`);
    }
  };
  checkDeadlines('deadlines', undefined);

  const rules = new Map<string, EventRule>();
  pack.events.forEach((rule, i) => {
    const at = `events[${i}]`;
    const label = eventLabel(rule.event);
    if (!isEventCode(rule.event)) err(`${at}.event`, 'must be an event code (phase and unit all "-")');
    if (rules.has(rule.event)) err(`${at}.event`, `${label} has two rules`);
    rules.set(rule.event, rule);
    if (rule.deadlines) checkDeadlines(`${at}.deadlines`, rule);
    if (rule.fieldSize !== undefined && rule.fieldSize < rule.maxPerNoc) {
      err(`${at}.fieldSize`, `field size ${rule.fieldSize} is below the maximum per NOC ${rule.maxPerNoc}`);
    }
    if (rule.qualification === 'entry-standard' && !rule.standard) {
      err(`${at}.standard`, "qualification 'entry-standard' needs a standard");
    }
    if (rule.standard) {
      if (rule.type === 'team') err(`${at}.standard`, 'team events qualify by quota places, not by an entry standard');
      const mark = parseMark(rule.standard.measure, rule.standard.mark);
      if (!mark.ok) err(`${at}.standard.mark`, mark.error);
      if (rule.standard.window.from > rule.standard.window.to) {
        err(`${at}.standard.window`, `the window opens (${rule.standard.window.from}) after it closes (${rule.standard.window.to})`);
      }
    }
    if (rule.age && rule.age.min !== undefined && rule.age.max !== undefined && rule.age.min > rule.age.max) {
      err(`${at}.age`, `minimum age ${rule.age.min} is above maximum age ${rule.age.max}`);
    }
    if (rule.type === 'team' && !rule.team) err(`${at}.team`, 'a team event needs a team rule (starters, alternates)');
    if (rule.type === 'individual' && rule.team) err(`${at}.team`, 'an individual event has no team rule');
    if (rule.team) {
      const { starters, composition } = rule.team;
      if (starters.min > starters.max) err(`${at}.team.starters`, `min ${starters.min} is above max ${starters.max}`);
      if (composition) {
        const total = composition.reduce((n, s) => n + s.count, 0);
        if (starters.min !== total || starters.max !== total) {
          err(
            `${at}.team.composition`,
            `the slots add up to ${total} starters; starters must then be exactly ${total} (min ${starters.min}, max ${starters.max})`,
          );
        }
        const slots = new Set<string>();
        composition.forEach((s, j) => {
          if (slots.has(s.slot)) err(`${at}.team.composition[${j}].slot`, `slot '${s.slot}' is listed twice`);
          slots.add(s.slot);
          s.requiresEntryIn?.forEach((rsc, k) => {
            if (!isEventCode(rsc)) err(`${at}.team.composition[${j}].requiresEntryIn[${k}]`, 'must be an event code');
          });
        });
      }
    }
  });

  const placeIds = new Set<string>();
  const perNoc = new Map<string, number>();
  pack.quotaPlaces.forEach((place, i) => {
    const at = `quotaPlaces[${i}]`;
    if (placeIds.has(place.id)) err(`${at}.id`, `quota place ${place.id} is listed twice`);
    placeIds.add(place.id);
    const rule = rules.get(place.event);
    if (!rule) {
      err(`${at}.event`, `${eventLabel(place.event)} has no rule in this pack`);
      return;
    }
    if (!nocs.has(place.noc)) err(`${at}.noc`, `NOC ${place.noc} is not in the pack's nocs`);
    if (place.kind === 'ATHLETE' && !place.athlete) err(`${at}.athlete`, 'a named (ATHLETE) place needs the athlete IF id');
    if (place.kind !== 'ATHLETE' && place.athlete) err(`${at}.athlete`, `a ${place.kind} place is not named to an athlete`);
    if (place.kind === 'ATHLETE' && rule.type === 'team') err(`${at}.kind`, 'a team event has no places named to an athlete');
    const key = `${place.event}/${place.noc}`;
    const count = (perNoc.get(key) ?? 0) + 1;
    perNoc.set(key, count);
    if (count === rule.maxPerNoc + 1) {
      err(`${at}.noc`, `NOC ${place.noc} would hold ${count} quota places in ${eventLabel(place.event)}, maximum ${rule.maxPerNoc}`);
    }
  });

  const ranked = new Set<string>();
  pack.rankings.forEach((ranking, i) => {
    const at = `rankings[${i}]`;
    if (!rules.has(ranking.event)) err(`${at}.event`, `${eventLabel(ranking.event)} has no rule in this pack`);
    if (ranked.has(ranking.event)) err(`${at}.event`, `${eventLabel(ranking.event)} has two rankings`);
    ranked.add(ranking.event);
    const ranks = new Set<number>();
    ranking.list.forEach((c, j) => {
      if (ranks.has(c.rank)) err(`${at}.list[${j}].rank`, `rank ${c.rank} is listed twice`);
      ranks.add(c.rank);
    });
  });

  return errors.length > 0 ? { ok: false, errors } : { ok: true, pack };
}

/** The rule of an event, if the pack has one. */
export function ruleFor(pack: RulesPack, event: string): EventRule | undefined {
  return pack.events.find((r) => r.event === event);
}
