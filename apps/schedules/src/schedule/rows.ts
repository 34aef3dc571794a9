import type { Schedule, ScheduleSession, ScheduleUnit } from '../domain/model';
import { localTimes } from '../domain/view';

const sameInstant = (a: Date | null, b: Date | null): boolean => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

/** True when the persisted fields of two units are equal (versions and change refs aside). */
export function sameUnit(a: ScheduleUnit, b: ScheduleUnit): boolean {
  return (
    a.name === b.name &&
    a.eventRsc === b.eventRsc &&
    a.phaseRsc === b.phaseRsc &&
    a.venue === b.venue &&
    a.location === b.location &&
    a.session === b.session &&
    sameInstant(a.startUtc, b.startUtc) &&
    sameInstant(a.endUtc, b.endUtc) &&
    a.status === b.status &&
    a.medal === b.medal
  );
}

export function sameSession(a: ScheduleSession, b: ScheduleSession): boolean {
  return (
    a.name === b.name &&
    a.venue === b.venue &&
    a.location === b.location &&
    sameInstant(a.startUtc, b.startUtc) &&
    sameInstant(a.endUtc, b.endUtc) &&
    a.status === b.status
  );
}

/** The unit's columns (besides its key), including the derived local and logical dates used by queries. */
export function unitRow(unit: ScheduleUnit, schedule: Schedule) {
  const venueTz = unit.venue === null ? null : (schedule.venues.find((v) => v.code === unit.venue)?.timeZone ?? null);
  const local = localTimes(unit.startUtc, unit.endUtc, venueTz, schedule.edition);
  return {
    discipline: unit.rsc.slice(0, 3),
    eventRsc: unit.eventRsc,
    phaseRsc: unit.phaseRsc,
    name: unit.name,
    medal: unit.medal,
    session: unit.session,
    venue: unit.venue,
    location: unit.location,
    startUtc: unit.startUtc,
    endUtc: unit.endUtc,
    localDate: local.startLocal ? local.startLocal.slice(0, 10) : null,
    logicalDate: local.logicalDate,
    status: unit.status,
    rescheduled: unit.rescheduled ?? unit.status === 'RESCHEDULED',
    version: unit.version,
  };
}

export function sessionRow(session: ScheduleSession) {
  return {
    name: session.name,
    venue: session.venue,
    location: session.location,
    startUtc: session.startUtc,
    endUtc: session.endUtc,
    status: session.status,
    version: session.version,
  };
}
