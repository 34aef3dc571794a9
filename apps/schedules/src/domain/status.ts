/**
 * Schedule status rules: which units occupy their venue, which have started, and which live status
 * transitions operations may make.
 */
import type { ScheduleStatus } from '@podium/odf';

/** Statuses set by `setUnitStatus` (the unit's live progress). The others have their own change kinds. */
export const LIVE_STATUSES = [
  'GETTING_READY',
  'RUNNING',
  'SCHEDULED_BREAK',
  'INTERRUPTED',
  'FINISHED',
  'DELAYED',
] as const satisfies readonly ScheduleStatus[];
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** Units and sessions in these statuses do not occupy their venue: conflict checks ignore them. */
export const INACTIVE_STATUSES: readonly ScheduleStatus[] = ['UNSCHEDULED', 'POSTPONED', 'CANCELLED'];

/** A unit in one of these statuses has started (or is about to): its start time and place are frozen. */
export const STARTED_STATUSES: readonly ScheduleStatus[] = [
  'GETTING_READY',
  'RUNNING',
  'SCHEDULED_BREAK',
  'INTERRUPTED',
  'FINISHED',
];

/** Statuses a data pack may give a unit: live statuses are set by operations, not by reference data. */
export const PACK_UNIT_STATUSES = [
  'UNSCHEDULED',
  'SCHEDULED',
  'RESCHEDULED',
  'POSTPONED',
  'CANCELLED',
] as const satisfies readonly ScheduleStatus[];

const LIVE_TRANSITIONS: Readonly<Record<ScheduleStatus, readonly LiveStatus[]>> = {
  UNSCHEDULED: [],
  SCHEDULED: ['GETTING_READY', 'RUNNING', 'DELAYED', 'FINISHED'],
  RESCHEDULED: ['GETTING_READY', 'RUNNING', 'DELAYED', 'FINISHED'],
  DELAYED: ['GETTING_READY', 'RUNNING', 'FINISHED'],
  GETTING_READY: ['RUNNING', 'DELAYED', 'INTERRUPTED', 'FINISHED'],
  RUNNING: ['SCHEDULED_BREAK', 'INTERRUPTED', 'FINISHED'],
  SCHEDULED_BREAK: ['RUNNING', 'INTERRUPTED', 'FINISHED'],
  INTERRUPTED: ['RUNNING', 'SCHEDULED_BREAK', 'DELAYED', 'FINISHED'],
  FINISHED: [],
  POSTPONED: [],
  CANCELLED: [],
};

/** True when the status means the unit/session occupies its venue (conflict checks consider it). */
export function isActiveStatus(status: ScheduleStatus): boolean {
  return !INACTIVE_STATUSES.includes(status);
}

export function hasStarted(status: ScheduleStatus): boolean {
  return STARTED_STATUSES.includes(status);
}

/** The live statuses a unit in status `from` may move to (setting the same status again is a no-op, not listed). */
export function liveTransitionsFrom(from: ScheduleStatus): readonly LiveStatus[] {
  return LIVE_TRANSITIONS[from];
}

/** True when a unit may go from `from` to the live status `to` (or already is in it). */
export function canSetLiveStatus(from: ScheduleStatus, to: LiveStatus): boolean {
  return from === to || LIVE_TRANSITIONS[from].includes(to);
}
