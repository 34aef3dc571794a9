/**
 * Conflict detection over an in-memory schedule. Pure: the same schedule always gives the same conflicts,
 * in a stable order, each with a stable `key` (so a planner can tell new conflicts from existing ones).
 *
 * Only units and sessions that occupy their venue are checked: status not UNSCHEDULED/POSTPONED/CANCELLED,
 * with both a start and an end.
 */
import type { Schedule, ScheduleSession, ScheduleUnit, ScheduleVenue } from './model';
import { isActiveStatus } from './status';
import { localLabel, localRangeLabel, logicalSpan } from './time-format';

export const CONFLICT_CODES = [
  /** Two units, or two sessions, overlap in time at the same venue and location. */
  'VENUE_OVERLAP',
  /** A unit is not inside its session: other venue or location, or starts before / ends after it. */
  'UNIT_OUTSIDE_SESSION',
  /** Within an event, a unit starts before every unit of an earlier phase has ended (e.g. a final before its semi). */
  'PHASE_ORDER',
  /** A unit or session falls on a (logical) day outside its venue's opening days. */
  'OUTSIDE_VENUE_OPENING',
] as const;
export type ConflictCode = (typeof CONFLICT_CODES)[number];

export interface Conflict {
  readonly code: ConflictCode;
  /** Stable identity of the conflict, e.g. 'VENUE_OVERLAP|unit:A|unit:B'. */
  readonly key: string;
  /** Human-readable explanation, with venue-local times. */
  readonly message: string;
  /** RSCs of the units involved; the unit the conflict is about comes first. */
  readonly units: readonly string[];
  /** Codes of the sessions involved. */
  readonly sessions: readonly string[];
  readonly venue: string | null;
  readonly location: string | null;
}

export interface FindConflictsOptions {
  /** Only return conflicts involving one of these units (RSCs) ... */
  readonly onlyUnits?: Iterable<string>;
  /** ... or one of these sessions (codes). Without either filter every conflict is returned. */
  readonly onlySessions?: Iterable<string>;
}

interface TimedUnit extends ScheduleUnit {
  readonly startUtc: Date;
  readonly endUtc: Date;
}

interface Slot {
  readonly kind: 'unit' | 'session';
  readonly id: string;
  readonly name: string;
  readonly venue: string;
  readonly location: string | null;
  readonly start: Date;
  readonly end: Date;
}

function isTimed(unit: ScheduleUnit): unit is TimedUnit {
  return unit.startUtc !== null && unit.endUtc !== null;
}

function occupiesVenue(unit: ScheduleUnit): unit is TimedUnit {
  return isTimed(unit) && isActiveStatus(unit.status);
}

function describe(slot: Pick<Slot, 'kind' | 'id' | 'name'>): string {
  return `${slot.kind} ${slot.id} "${slot.name}"`;
}

function place(venue: string, location: string | null): string {
  return location === null ? `venue ${venue}` : `venue ${venue} location ${location}`;
}

class ConflictFinder {
  private readonly venues: ReadonlyMap<string, ScheduleVenue>;
  private readonly sessions: ReadonlyMap<string, ScheduleSession>;

  constructor(private readonly schedule: Schedule) {
    this.venues = new Map(schedule.venues.map((v) => [v.code, v]));
    this.sessions = new Map(schedule.sessions.map((s) => [s.code, s]));
  }

  private zone(venue: string | null): string {
    return (venue === null ? undefined : this.venues.get(venue)?.timeZone) ?? this.schedule.edition.timeZone;
  }

  all(): Conflict[] {
    const activeUnits = this.schedule.units.filter(occupiesVenue);
    const activeSessions = this.schedule.sessions.filter((s) => isActiveStatus(s.status));
    return [
      ...this.overlaps(
        activeUnits.flatMap((u): Slot[] =>
          u.venue === null
            ? []
            : [
                {
                  kind: 'unit',
                  id: u.rsc,
                  name: u.name,
                  venue: u.venue,
                  location: u.location,
                  start: u.startUtc,
                  end: u.endUtc,
                },
              ],
        ),
      ),
      ...this.overlaps(
        activeSessions.map((s): Slot => ({
          kind: 'session',
          id: s.code,
          name: s.name,
          venue: s.venue,
          location: s.location,
          start: s.startUtc,
          end: s.endUtc,
        })),
      ),
      ...activeUnits.flatMap((u) => this.outsideSession(u)),
      ...this.phaseOrder(activeUnits),
      ...activeUnits.flatMap((u) =>
        u.venue === null
          ? []
          : this.outsideOpening({
              kind: 'unit',
              id: u.rsc,
              name: u.name,
              venue: u.venue,
              location: u.location,
              start: u.startUtc,
              end: u.endUtc,
            }),
      ),
      ...activeSessions.flatMap((s) =>
        this.outsideOpening({
          kind: 'session',
          id: s.code,
          name: s.name,
          venue: s.venue,
          location: s.location,
          start: s.startUtc,
          end: s.endUtc,
        }),
      ),
    ];
  }

  /** Overlapping pairs among slots at the same venue and location (no location = the venue as a whole). */
  private overlaps(slots: readonly Slot[]): Conflict[] {
    const groups = new Map<string, Slot[]>();
    for (const slot of slots) {
      const groupKey = `${slot.venue}\u0000${slot.location ?? ''}`;
      const group = groups.get(groupKey) ?? [];
      group.push(slot);
      groups.set(groupKey, group);
    }
    const conflicts: Conflict[] = [];
    for (const group of groups.values()) {
      group.sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id));
      for (let i = 0; i < group.length; i++) {
        const a = group[i] as Slot;
        for (let j = i + 1; j < group.length; j++) {
          const b = group[j] as Slot;
          if (b.start.getTime() >= a.end.getTime()) break;
          const tz = this.zone(a.venue);
          const [first, second] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
          conflicts.push({
            code: 'VENUE_OVERLAP',
            key: `VENUE_OVERLAP|${a.kind}:${first}|${a.kind}:${second}`,
            message:
              `${describe(b)} (${localRangeLabel(b.start, b.end, tz)}) overlaps ${describe(a)} ` +
              `(${localRangeLabel(a.start, a.end, tz)}) at ${place(a.venue, a.location)} (${tz})`,
            units: a.kind === 'unit' ? [b.id, a.id] : [],
            sessions: a.kind === 'session' ? [b.id, a.id] : [],
            venue: a.venue,
            location: a.location,
          });
        }
      }
    }
    return conflicts;
  }

  private outsideSession(unit: TimedUnit): Conflict[] {
    if (unit.session === null) return [];
    const session = this.sessions.get(unit.session);
    if (!session) return [];
    const tz = this.zone(session.venue);
    const where = (venue: string | null, location: string | null): string =>
      venue === null
        ? 'no venue'
        : location === null
          ? `venue ${venue}`
          : `venue ${venue} location ${location}`;
    let why: string | undefined;
    if (unit.venue !== session.venue || (session.location !== null && unit.location !== session.location)) {
      why =
        `is at ${where(unit.venue, unit.location)} but its session ${session.code} is at ` +
        where(session.venue, session.location);
    } else if (unit.startUtc < session.startUtc || unit.endUtc > session.endUtc) {
      why =
        `(${localRangeLabel(unit.startUtc, unit.endUtc, tz)}) is not within its session ${session.code} ` +
        `(${localRangeLabel(session.startUtc, session.endUtc, tz)}, ${tz})`;
    }
    if (why === undefined) return [];
    return [
      {
        code: 'UNIT_OUTSIDE_SESSION',
        key: `UNIT_OUTSIDE_SESSION|unit:${unit.rsc}`,
        message: `unit ${unit.rsc} "${unit.name}" ${why}`,
        units: [unit.rsc],
        sessions: [session.code],
        venue: unit.venue,
        location: unit.location,
      },
    ];
  }

  private phaseOrder(units: readonly TimedUnit[]): Conflict[] {
    const byEvent = new Map<string, TimedUnit[]>();
    for (const unit of units) {
      const list = byEvent.get(unit.eventRsc) ?? [];
      list.push(unit);
      byEvent.set(unit.eventRsc, list);
    }
    const conflicts: Conflict[] = [];
    for (const eventUnits of byEvent.values()) {
      for (const later of eventUnits) {
        const earlierOrders = [...new Set(eventUnits.map((u) => u.phaseOrder))]
          .filter((order) => order < later.phaseOrder)
          .sort((a, b) => a - b);
        for (const order of earlierOrders) {
          const blocking = eventUnits
            .filter((u) => u.phaseOrder === order && u.endUtc > later.startUtc)
            .sort((a, b) => a.endUtc.getTime() - b.endUtc.getTime() || a.rsc.localeCompare(b.rsc));
          const last = blocking[blocking.length - 1];
          if (!last) continue;
          const tz = this.zone(later.venue);
          const lastTz = this.zone(last.venue);
          conflicts.push({
            code: 'PHASE_ORDER',
            key: `PHASE_ORDER|unit:${later.rsc}|order:${order}`,
            message:
              `unit ${later.rsc} "${later.name}" (phase order ${later.phaseOrder}) starts at ` +
              `${localLabel(later.startUtc, tz)} (${tz}) before ${blocking.length} unit(s) of phase order ${order} ` +
              `have ended; the last, ${last.rsc} "${last.name}", ends at ${localLabel(last.endUtc, lastTz)} (${lastTz})`,
            units: [later.rsc, ...blocking.map((u) => u.rsc)],
            sessions: [],
            venue: later.venue,
            location: later.location,
          });
        }
      }
    }
    return conflicts;
  }

  private outsideOpening(slot: Slot): Conflict[] {
    const venue = this.venues.get(slot.venue);
    if (!venue) return [];
    const span = logicalSpan(slot.start, slot.end, venue.timeZone, this.schedule.edition.logicalDayEnd);
    if (span.first >= venue.openingDays.from && span.last <= venue.openingDays.to) return [];
    const days = span.first === span.last ? span.first : `${span.first}..${span.last}`;
    return [
      {
        code: 'OUTSIDE_VENUE_OPENING',
        key: `OUTSIDE_VENUE_OPENING|${slot.kind}:${slot.id}`,
        message:
          `${describe(slot)} on ${days} (${localRangeLabel(slot.start, slot.end, venue.timeZone)}, ${venue.timeZone}) ` +
          `is outside the opening days of venue ${venue.code} (${venue.openingDays.from}..${venue.openingDays.to})`,
        units: slot.kind === 'unit' ? [slot.id] : [],
        sessions: slot.kind === 'session' ? [slot.id] : [],
        venue: slot.venue,
        location: slot.location,
      },
    ];
  }
}

/**
 * Finds the schedule's conflicts (see {@link CONFLICT_CODES}), sorted by code then key.
 * With `onlyUnits` / `onlySessions`, only the conflicts that involve at least one of them.
 */
export function findConflicts(schedule: Schedule, options: FindConflictsOptions = {}): Conflict[] {
  const conflicts = new ConflictFinder(schedule).all();
  const unitFilter = options.onlyUnits === undefined ? undefined : new Set(options.onlyUnits);
  const sessionFilter = options.onlySessions === undefined ? undefined : new Set(options.onlySessions);
  const selected =
    unitFilter === undefined && sessionFilter === undefined
      ? conflicts
      : conflicts.filter(
          (c) => c.units.some((u) => unitFilter?.has(u)) || c.sessions.some((s) => sessionFilter?.has(s)),
        );
  const order = (code: ConflictCode): number => CONFLICT_CODES.indexOf(code);
  return selected.sort((a, b) => order(a.code) - order(b.code) || a.key.localeCompare(b.key));
}
