import { ContractViolationError } from './errors';
import {
  envelopeFor,
  type EnvelopeOf,
  isSubjectKey,
  matchSubject,
  parseEnvelope,
  parsePayload,
  type PayloadOf,
  safeParsePayload,
  type SubjectKey,
  subjectDefinition,
  subjectFilter,
  subjectFor,
  subjectMatches,
} from './subject-map';
import type { TokensOf } from './subjects/define';
import { type ScheduleUnitState, scheduleUnitUpdated } from './subjects/schedules';

const KEY = 'oms.schedules.v1.unit.{discipline}.updated';
const valid: ScheduleUnitState = scheduleUnitUpdated.example;

describe('typed subject map (compile-time)', () => {
  it('derives key, payload and token types from the registry', () => {
    const key: SubjectKey = KEY;
    const tokens: TokensOf<typeof KEY> = { discipline: 'ATH' };
    const payload: PayloadOf<typeof KEY> = valid;
    const status: PayloadOf<typeof KEY>['status'] = 'RUNNING';
    expect([key, tokens.discipline, payload.rsc, status]).toEqual([KEY, 'ATH', valid.rsc, 'RUNNING']);

    // @ts-expect-error not a subject of the catalog
    const unknownKey: SubjectKey = 'oms.schedules.v1.unit.updated';
    // @ts-expect-error status outside ScheduleStatus
    const badStatus: PayloadOf<typeof KEY>['status'] = 'DONE';
    // @ts-expect-error tokens are derived from the template
    const badTokens: TokensOf<typeof KEY> = { sport: 'ATH' };
    expect([unknownKey, badStatus, badTokens]).toHaveLength(3);
  });

  it('makes publishing a wrong payload or wrong tokens a compile error (and a runtime error)', () => {
    // @ts-expect-error a payload of another shape
    expect(() => envelopeFor(KEY, { foo: 1 })).toThrow(ContractViolationError);
    // @ts-expect-error status outside ScheduleStatus
    expect(() => envelopeFor(KEY, { ...valid, status: 'DONE' })).toThrow(ContractViolationError);
    // @ts-expect-error a required field missing
    expect(() => envelopeFor(KEY, { ...valid, rsc: undefined })).toThrow(ContractViolationError);
    // @ts-expect-error unknown subject key
    expect(() => envelopeFor('oms.schedules.v1.nope', valid)).toThrow(/Unknown subject key/);
    // @ts-expect-error tokens required for a template with tokens
    expect(() => subjectFor(KEY)).toThrow(TypeError);
    // @ts-expect-error wrong token name
    expect(() => subjectFor(KEY, { sport: 'ATH' })).toThrow(TypeError);
  });
});

describe('subjectFor', () => {
  it('fills tokens, keeping their case', () => {
    expect(subjectFor(KEY, { discipline: 'ATH' })).toBe('oms.schedules.v1.unit.ATH.updated');
    expect(subjectFor(KEY, { discipline: 'swm_2-x' })).toBe('oms.schedules.v1.unit.swm_2-x.updated');
  });

  it.each(['', 'A.B', '*', '>', 'A B', 'ATH ', '$ATH', 'é'])('rejects token %j', (value) => {
    expect(() => subjectFor(KEY, { discipline: value })).toThrow(
      /Subject token \{discipline\} of oms\.schedules\.v1\.unit\.\{discipline\}\.updated must match \[A-Za-z0-9_-\]\+/,
    );
  });

  it('builds subscription filters and reads tokens back', () => {
    expect(subjectFilter(KEY)).toBe('oms.schedules.v1.unit.*.updated');
    expect(subjectFilter(KEY, { discipline: 'ATH' })).toBe('oms.schedules.v1.unit.ATH.updated');
    expect(() => subjectFilter(KEY, { discipline: 'A.B' })).toThrow(TypeError);
    expect(matchSubject(KEY, 'oms.schedules.v1.unit.ATH.updated')).toEqual({ discipline: 'ATH' });
    expect(matchSubject(KEY, 'oms.schedules.v1.unit.A.B.updated')).toBeNull();
    expect(matchSubject(KEY, 'oms.schedules.v1.unitXATHXupdated')).toBeNull();
    expect(matchSubject(KEY, 'x.oms.schedules.v1.unit.ATH.updated')).toBeNull();
  });

  it('knows its keys', () => {
    expect(isSubjectKey(KEY)).toBe(true);
    expect(isSubjectKey('oms.schedules.v1.>')).toBe(false);
    expect(isSubjectKey('toString')).toBe(false);
    expect(subjectDefinition(KEY).source).toBe('podium/schedules');
  });
});

describe('payloads and envelopes', () => {
  it('parsePayload returns the typed payload or throws with the issues', () => {
    expect(parsePayload(KEY, valid)).toEqual(valid);
    const result = safeParsePayload(KEY, { ...valid, rsc: 'ATH' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.issues.length).toBeGreaterThan(0);
      expect(result.error.fieldErrors).toContainEqual({ field: 'rsc', message: 'RSC must be 34 characters, got 3' });
    }
  });

  it('envelopeFor fills type, source and dataschema from the registry', () => {
    const envelope: EnvelopeOf<typeof KEY> = envelopeFor(KEY, valid, { time: '2024-08-01T09:12:00Z' });
    expect(envelope).toMatchObject({
      type: 'podium.schedules.unit.updated.v1',
      source: 'podium/schedules',
      dataschema: 'https://podium.dev/schemas/podium.schedules.unit.updated.v1.json',
      datacontenttype: 'application/json',
      time: '2024-08-01T09:12:00Z',
      data: valid,
    });
    expect(parseEnvelope(KEY, JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it('parseEnvelope rejects a bad payload, another type or source, or a missing id', () => {
    const envelope = envelopeFor(KEY, valid);
    const fieldsOf = (input: unknown): string[] => {
      try {
        parseEnvelope(KEY, input);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ContractViolationError);
        return (error as ContractViolationError).fieldErrors.map((f) => f.field);
      }
    };
    expect(fieldsOf(envelope)).toEqual([]);
    expect(fieldsOf({ ...envelope, data: { ...valid, status: 'DONE' } })).toEqual(['data.status']);
    expect(fieldsOf({ ...envelope, type: 'podium.schedules.unit.updated.v2' })).toEqual(['type']);
    expect(fieldsOf({ ...envelope, source: 'podium/entries' })).toEqual(['source']);
    const { id: _id, ...withoutId } = envelope;
    expect(fieldsOf(withoutId)).toEqual(['id']);
    expect(fieldsOf('not an object')).toEqual(['']);
  });
});

describe('subjectMatches', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.*.c', 'a.b.c', true],
    ['a.*.c', 'a.b.d', false],
    ['a.>', 'a.b.c', true],
    ['a.>', 'a', false],
    ['a.b', 'a.b.c', false],
    ['a.b.c', 'a.b', false],
  ])('%s ~ %s -> %s', (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });
});
