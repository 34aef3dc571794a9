/**
 * In-memory model of an edition's competition schedule, as the pure domain functions see it
 * (conflict detection, the rescheduling planner, views). Persistence maps its rows to and from these shapes.
 *
 * All instants are UTC `Date`s; wall-clock times only appear in views (see view.ts), computed in the venue's zone.
 */
import type { ScheduleStatus } from '@podium/odf';

/** The last change applied to a unit or session (the `change` of the unit state payload). */
export interface ChangeRef {
  readonly id: string;
  readonly kind: string;
  readonly reason: string | null;
  readonly by: string | null;
}

export interface ScheduleEdition {
  /** Edition code, e.g. 'OG2024'. */
  readonly code: string;
  /** The edition's reference zone, used for local views of units that have no venue. */
  readonly timeZone: string;
  /** 'HH:mm': local times before it belong to the previous logical (competition) day. */
  readonly logicalDayEnd: string;
}

export interface ScheduleLocation {
  readonly code: string;
  readonly name: string;
}

export interface ScheduleVenue {
  readonly code: string;
  readonly name: string;
  /** IANA time zone of the venue. */
  readonly timeZone: string;
  /** First and last day (inclusive, 'YYYY-MM-DD', venue-local logical dates) the venue can host competition. */
  readonly openingDays: { readonly from: string; readonly to: string };
  readonly locations: readonly ScheduleLocation[];
}

export interface ScheduleSession {
  /** Session code, e.g. 'ATH01'. */
  readonly code: string;
  readonly name: string;
  readonly venue: string;
  readonly location: string | null;
  readonly startUtc: Date;
  readonly endUtc: Date;
  readonly status: ScheduleStatus;
  readonly version: number;
  readonly updatedAt: Date;
  readonly lastChange?: ChangeRef | null;
}

export interface ScheduleUnit {
  /** 34-character RSC of the unit. */
  readonly rsc: string;
  readonly name: string;
  /** RSC of the unit's event (phase and unit all '-'). */
  readonly eventRsc: string;
  /** RSC of the unit's phase (unit all '-'). */
  readonly phaseRsc: string;
  /** Order of the phase within its event (heats 1, semi-finals 2, final 3...). */
  readonly phaseOrder: number;
  readonly venue: string | null;
  readonly location: string | null;
  readonly session: string | null;
  readonly startUtc: Date | null;
  readonly endUtc: Date | null;
  readonly status: ScheduleStatus;
  readonly medal: boolean;
  readonly version: number;
  readonly updatedAt: Date;
  /**
   * True once the unit's time or place changed after it was first scheduled; decides whether a restored unit is
   * SCHEDULED or RESCHEDULED. Persist it; when absent it is read as `status === 'RESCHEDULED'`.
   */
  readonly rescheduled?: boolean;
  readonly lastChange?: ChangeRef | null;
}

export interface Schedule {
  readonly edition: ScheduleEdition;
  readonly venues: readonly ScheduleVenue[];
  readonly sessions: readonly ScheduleSession[];
  readonly units: readonly ScheduleUnit[];
}

/** The discipline code of a unit (the first 3 characters of its RSC). */
export function disciplineOf(unit: Pick<ScheduleUnit, 'rsc'>): string {
  return unit.rsc.slice(0, 3);
}

/** The time zone a unit's or session's local times are expressed in: its venue's, else the edition's. */
export function timeZoneOf(schedule: Schedule, venueCode: string | null): string {
  const venue = venueCode === null ? undefined : schedule.venues.find((v) => v.code === venueCode);
  return venue?.timeZone ?? schedule.edition.timeZone;
}
