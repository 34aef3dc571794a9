import {
  DOCUMENT_TYPES,
  isDocumentType,
  isResultStatus,
  isScheduleStatus,
  RESULT_STATUSES,
  SCHEDULE_STATUSES,
  type ScheduleStatus,
} from './codes';

describe('ODF code lists', () => {
  it('lists schedule statuses in ODF order without duplicates', () => {
    expect(SCHEDULE_STATUSES).toHaveLength(11);
    expect(new Set(SCHEDULE_STATUSES).size).toBe(SCHEDULE_STATUSES.length);
    expect(SCHEDULE_STATUSES[0]).toBe('UNSCHEDULED');
    expect(SCHEDULE_STATUSES).toContain('GETTING_READY');
    const status: ScheduleStatus = 'CANCELLED';
    expect(isScheduleStatus(status)).toBe(true);
    expect(isScheduleStatus('cancelled')).toBe(false);
    expect(isScheduleStatus(undefined)).toBe(false);
  });

  it('lists document types and result statuses', () => {
    expect(DOCUMENT_TYPES).toHaveLength(19);
    expect(new Set(DOCUMENT_TYPES).size).toBe(19);
    expect(DOCUMENT_TYPES.every((t) => t.startsWith('DT_'))).toBe(true);
    expect(isDocumentType('DT_PLAY_BY_PLAY')).toBe(true);
    expect(isDocumentType('DT_UNKNOWN')).toBe(false);
    expect(RESULT_STATUSES).toEqual([
      'START_LIST',
      'LIVE',
      'INTERMEDIATE',
      'UNCONFIRMED',
      'UNOFFICIAL',
      'OFFICIAL',
      'PARTIAL',
      'PROTESTED',
      'PROVISIONAL',
    ]);
    expect(isResultStatus('OFFICIAL')).toBe(true);
    expect(isResultStatus('FINAL')).toBe(false);
  });
});
