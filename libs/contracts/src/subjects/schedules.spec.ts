import { ContractViolationError } from '../errors';
import { parsePayload } from '../subject-map';
import { scheduleUnitStateSchema, scheduleUnitUpdated, schedulesStream } from './schedules';

const KEY = 'oms.schedules.v1.unit.{discipline}.updated';
const valid = scheduleUnitUpdated.example;

function issuesOf(input: unknown): { field: string; message: string }[] {
  const result = scheduleUnitStateSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
}

describe('schedule unit state', () => {
  it('accepts the documented example and a minimal unscheduled unit', () => {
    expect(scheduleUnitStateSchema.parse(valid)).toEqual(valid);
    const unscheduled = {
      ...valid,
      status: 'UNSCHEDULED',
      startUtc: null,
      endUtc: null,
      venue: null,
      location: null,
      timeZone: null,
      startLocal: null,
      endLocal: null,
      logicalDate: null,
      session: null,
      change: null,
    };
    expect(issuesOf(unscheduled)).toEqual([]);
  });

  it('explains a bad RSC', () => {
    expect(issuesOf({ ...valid, rsc: valid.rsc.slice(0, 33) })).toEqual([
      { field: 'rsc', message: 'RSC must be 34 characters, got 33' },
    ]);
  });

  it('requires discipline, eventRsc and phaseRsc consistent with the RSC', () => {
    expect(
      issuesOf({
        ...valid,
        discipline: 'SWM',
        eventRsc: 'ATHW100M--------------------------',
        phaseRsc: valid.eventRsc,
      }),
    ).toEqual([
      { field: 'discipline', message: 'must be ATH, the discipline of the RSC' },
      { field: 'eventRsc', message: 'must be ATHM100M--------------------------, the event code of the RSC' },
      { field: 'phaseRsc', message: 'must be ATHM100M--------------FNL---------, the phase code of the RSC' },
    ]);
  });

  it('rejects a status outside the ODF list', () => {
    expect(issuesOf({ ...valid, status: 'DONE' }).map((i) => i.field)).toEqual(['status']);
    expect(issuesOf({ ...valid, status: 'scheduled' }).map((i) => i.field)).toEqual(['status']);
  });

  it('requires ISO strings: UTC with Z, local with an offset, date YYYY-MM-DD', () => {
    expect(issuesOf({ ...valid, startUtc: '2024-08-04T21:50:00+02:00' }).map((i) => i.field)).toEqual(['startUtc']);
    expect(issuesOf({ ...valid, updatedAt: '2024-08-01' }).map((i) => i.field)).toEqual(['updatedAt']);
    expect(issuesOf({ ...valid, startLocal: '2024-08-04T21:50:00' }).map((i) => i.field)).toEqual(['startLocal']);
    expect(issuesOf({ ...valid, logicalDate: '04/08/2024' }).map((i) => i.field)).toEqual(['logicalDate']);
    expect(issuesOf({ ...valid, timeZone: 'Paris' }).map((i) => i.field)).toEqual(['timeZone']);
  });

  it('rejects an end before the start', () => {
    expect(issuesOf({ ...valid, endUtc: '2024-08-04T19:00:00Z' })).toEqual([
      { field: 'endUtc', message: 'must not be before startUtc' },
    ]);
  });

  it('rejects wrong types and missing fields', () => {
    expect(issuesOf({ ...valid, version: 1.5 }).map((i) => i.field)).toEqual(['version']);
    expect(issuesOf({ ...valid, version: 0 }).map((i) => i.field)).toEqual(['version']);
    expect(issuesOf({ ...valid, medal: 'yes' }).map((i) => i.field)).toEqual(['medal']);
    const { name: _name, ...withoutName } = valid;
    expect(issuesOf(withoutName).map((i) => i.field)).toEqual(['name']);
    expect(issuesOf({ ...valid, change: { id: 'x', kind: '', reason: null, by: null } }).map((i) => i.field)).toEqual([
      'change.kind',
    ]);
  });

  it('drops unknown fields so additive changes do not break v1 consumers', () => {
    expect(scheduleUnitStateSchema.parse({ ...valid, futureField: 1 })).not.toHaveProperty('futureField');
  });

  it('throws a ContractViolationError through parsePayload', () => {
    expect(() => parsePayload(KEY, { ...valid, status: 'DONE' })).toThrow(ContractViolationError);
    expect(() => parsePayload(KEY, { ...valid, status: 'DONE' })).toThrow(/^Invalid payload for oms\.schedules\.v1\.unit\.\{discipline\}\.updated: status: /);
  });
});

describe('SCHEDULES stream', () => {
  it('captures oms.schedules.v1.> with limits retention, file storage and a 2 minute dedupe window', () => {
    expect(schedulesStream).toMatchObject({
      name: 'SCHEDULES',
      subjects: ['oms.schedules.v1.>'],
      retention: 'limits',
      storage: 'file',
      duplicateWindow: 120_000,
    });
    expect(scheduleUnitUpdated.stream).toBe('SCHEDULES');
  });
});
