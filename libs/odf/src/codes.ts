/** ODF schedule status of a unit (ODF `ScheduleStatus` code list). */
export const SCHEDULE_STATUSES = [
  'UNSCHEDULED',
  'SCHEDULED',
  'GETTING_READY',
  'RUNNING',
  'SCHEDULED_BREAK',
  'INTERRUPTED',
  'FINISHED',
  'DELAYED',
  'POSTPONED',
  'RESCHEDULED',
  'CANCELLED',
] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** ODF message document types used by Podium. */
export const DOCUMENT_TYPES = [
  'DT_SCHEDULE',
  'DT_SCHEDULE_UPDATE',
  'DT_PARTIC',
  'DT_PARTIC_UPDATE',
  'DT_RESULT',
  'DT_CURRENT',
  'DT_PHASE_RESULT',
  'DT_CUMULATIVE_RESULT',
  'DT_POOL_STANDING',
  'DT_BRACKETS',
  'DT_PLAY_BY_PLAY',
  'DT_MEDALLISTS',
  'DT_MEDALS',
  'DT_RECORD',
  'DT_STATS',
  'DT_ENTRIES',
  'DT_KA',
  'DT_LOCAL_ON',
  'DT_LOCAL_OFF',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** ODF result status (`ResultStatus` attribute of result messages). */
export const RESULT_STATUSES = [
  'START_LIST',
  'LIVE',
  'INTERMEDIATE',
  'UNCONFIRMED',
  'UNOFFICIAL',
  'OFFICIAL',
  'PARTIAL',
  'PROTESTED',
  'PROVISIONAL',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

function member<T extends string>(list: readonly T[]): (value: unknown) => value is T {
  return (value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);
}

export const isScheduleStatus = member(SCHEDULE_STATUSES);
export const isDocumentType = member(DOCUMENT_TYPES);
export const isResultStatus = member(RESULT_STATUSES);
