/**
 * Views of units and sessions as published (HTTP responses and the `unit.updated` event payload):
 * UTC instants as ISO strings, plus venue-local times and the logical (competition) date.
 */
import type { ScheduleUnitState } from '@podium/contracts';
import { logicalDate, type ScheduleStatus, toLocalIso } from '@podium/odf';
import {
  type ChangeRef,
  disciplineOf,
  type Schedule,
  type ScheduleEdition,
  type ScheduleSession,
  type ScheduleUnit,
  timeZoneOf,
} from './model';

export type { ScheduleUnitState };

/** What a view needs of the edition. */
export type ViewEdition = Pick<ScheduleEdition, 'code' | 'timeZone' | 'logicalDayEnd'>;

export interface LocalTimes {
  /** The zone startLocal/endLocal are in: the venue's, else the edition's when there are times, else null. */
  readonly timeZone: string | null;
  readonly startLocal: string | null;
  readonly endLocal: string | null;
  /** Logical date of the start (local date, minus one day before the edition's logicalDayEnd). */
  readonly logicalDate: string | null;
}

/** Local wall-clock view of an interval: in the venue's zone, or the edition's when there is no venue. */
export function localTimes(
  startUtc: Date | null,
  endUtc: Date | null,
  venueTz: string | null,
  edition: Pick<ScheduleEdition, 'timeZone' | 'logicalDayEnd'>,
): LocalTimes {
  const tz = venueTz ?? (startUtc || endUtc ? edition.timeZone : null);
  if (tz === null) return { timeZone: null, startLocal: null, endLocal: null, logicalDate: null };
  return {
    timeZone: tz,
    startLocal: startUtc ? toLocalIso(startUtc, tz) : null,
    endLocal: endUtc ? toLocalIso(endUtc, tz) : null,
    logicalDate: startUtc ? logicalDate(startUtc, tz, edition.logicalDayEnd) : null,
  };
}

/**
 * The published state of a unit (the `data` of `oms.schedules.v1.unit.<discipline>.updated` and the snapshot item).
 * `venueTz` is the time zone of the unit's venue (null when it has none: the edition's zone is used for times).
 */
export function unitView(
  unit: ScheduleUnit,
  venueTz: string | null,
  edition: ViewEdition,
): ScheduleUnitState {
  const local = localTimes(unit.startUtc, unit.endUtc, venueTz, edition);
  return {
    edition: edition.code,
    rsc: unit.rsc,
    discipline: disciplineOf(unit),
    eventRsc: unit.eventRsc,
    phaseRsc: unit.phaseRsc,
    name: unit.name,
    medal: unit.medal,
    status: unit.status,
    startUtc: unit.startUtc?.toISOString() ?? null,
    endUtc: unit.endUtc?.toISOString() ?? null,
    venue: unit.venue,
    location: unit.location,
    timeZone: local.timeZone,
    startLocal: local.startLocal,
    endLocal: local.endLocal,
    logicalDate: local.logicalDate,
    session: unit.session,
    version: unit.version,
    change: unit.lastChange ? { ...unit.lastChange } : null,
    updatedAt: unit.updatedAt.toISOString(),
  };
}

/** {@link unitView} with the venue's zone looked up in the schedule. */
export function unitViewIn(schedule: Schedule, unit: ScheduleUnit): ScheduleUnitState {
  const venue = unit.venue === null ? undefined : schedule.venues.find((v) => v.code === unit.venue);
  return unitView(unit, venue?.timeZone ?? null, schedule.edition);
}

export interface SessionView {
  readonly edition: string;
  readonly code: string;
  readonly name: string;
  readonly venue: string;
  readonly location: string | null;
  readonly status: ScheduleStatus;
  readonly startUtc: string;
  readonly endUtc: string;
  readonly timeZone: string;
  readonly startLocal: string;
  readonly endLocal: string;
  readonly logicalDate: string;
  readonly version: number;
  readonly change: ChangeRef | null;
  readonly updatedAt: string;
}

export function sessionView(session: ScheduleSession, venueTz: string, edition: ViewEdition): SessionView {
  return {
    edition: edition.code,
    code: session.code,
    name: session.name,
    venue: session.venue,
    location: session.location,
    status: session.status,
    startUtc: session.startUtc.toISOString(),
    endUtc: session.endUtc.toISOString(),
    timeZone: venueTz,
    startLocal: toLocalIso(session.startUtc, venueTz),
    endLocal: toLocalIso(session.endUtc, venueTz),
    logicalDate: logicalDate(session.startUtc, venueTz, edition.logicalDayEnd),
    version: session.version,
    change: session.lastChange ? { ...session.lastChange } : null,
    updatedAt: session.updatedAt.toISOString(),
  };
}

/** {@link sessionView} with the venue's zone looked up in the schedule. */
export function sessionViewIn(schedule: Schedule, session: ScheduleSession): SessionView {
  return sessionView(session, timeZoneOf(schedule, session.venue), schedule.edition);
}
