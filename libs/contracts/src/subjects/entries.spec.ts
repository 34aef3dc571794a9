import { envelopeFor, parseEnvelope, subjectFor } from '../subject-map';
import {
  athleteChanged,
  athleteStateSchema,
  entriesStream,
  entryChanged,
  entryStateSchema,
  publicEntryChange,
  publicEntryState,
  quotaPlaceChanged,
  quotaPlaceStateSchema,
} from './entries';

function fieldsOf(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } }, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : (result.error?.issues ?? []).map((i) => i.path.join('.'));
}

describe('entries contracts', () => {
  it('accepts the documented examples', () => {
    expect(fieldsOf(entryStateSchema, entryChanged.example)).toEqual([]);
    expect(fieldsOf(athleteStateSchema, athleteChanged.example)).toEqual([]);
    expect(fieldsOf(quotaPlaceStateSchema, quotaPlaceChanged.example)).toEqual([]);
  });

  it('rejects an entry without members, with a lowercase NOC or a phase RSC in place of the event', () => {
    const entry = entryChanged.example;
    expect(fieldsOf(entryStateSchema, { ...entry, members: [] })).toEqual(['members']);
    expect(fieldsOf(entryStateSchema, { ...entry, noc: 'jpn' })).toEqual(['noc']);
    expect(fieldsOf(entryStateSchema, { ...entry, status: 'ACCEPTED' })).toEqual(['status']);
    expect(fieldsOf(entryStateSchema, { ...entry, event: 'ATHM100M' })).toEqual(['event']);
  });

  it('publishes a change with its kind and a Late Athlete Replacement reason code only: no note, no user id', () => {
    const id = 'c1f0a7e2-9a0b-4c4d-8e7f-1a2b3c4d5e6f';
    const lar = { id, kind: 'LATE_REPLACEMENT', reason: 'MEDICAL', by: 'oc-approver-7' } as const;
    expect(publicEntryChange(lar)).toEqual({ id, kind: 'LATE_REPLACEMENT', reason: 'MEDICAL', by: null });
    // As entries wrote it before (code and note), and as it still sits in the ENTRIES stream: narrowed to the code.
    expect(publicEntryChange({ ...lar, reason: 'ANTI_DOPING: positive A sample, 2030-07-12' })).toEqual({
      id,
      kind: 'LATE_REPLACEMENT',
      reason: 'ANTI_DOPING',
      by: null,
    });
    expect(publicEntryChange({ ...lar, reason: 'torn hamstring' }).reason).toBeNull();
    expect(publicEntryChange({ id, kind: 'WITHDRAWN', reason: 'knee surgery', by: 'noc-jpn-1' })).toEqual({
      id,
      kind: 'WITHDRAWN',
      reason: null,
      by: null,
    });
    const state = { ...entryChanged.example, change: { ...lar, reason: 'MEDICAL: hamstring' } };
    expect(publicEntryState(state)).toEqual({ ...state, change: { id, kind: 'LATE_REPLACEMENT', reason: 'MEDICAL', by: null } });
    expect(fieldsOf(entryStateSchema, publicEntryState(state))).toEqual([]);
  });

  it('rejects an athlete with a bad birth date or gender', () => {
    const athlete = athleteChanged.example;
    expect(fieldsOf(athleteStateSchema, { ...athlete, birthDate: '06/03/1999' })).toEqual(['birthDate']);
    expect(fieldsOf(athleteStateSchema, { ...athlete, gender: 'X' })).toEqual(['gender']);
  });

  it('fills the subject tokens and round-trips an envelope', () => {
    expect(subjectFor('oms.entries.v1.entry.{discipline}.changed', { discipline: 'ATH' })).toBe(
      'oms.entries.v1.entry.ATH.changed',
    );
    expect(subjectFor('oms.entries.v1.athlete.{noc}.changed', { noc: 'JPN' })).toBe('oms.entries.v1.athlete.JPN.changed');
    const envelope = envelopeFor('oms.entries.v1.quota.{discipline}.changed', quotaPlaceChanged.example);
    expect(envelope.type).toBe('podium.entries.quota.changed.v1');
    expect(envelope.source).toBe('podium/entries');
    expect(parseEnvelope('oms.entries.v1.quota.{discipline}.changed', JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it('declares the ENTRIES stream over every entries subject', () => {
    expect(entriesStream).toMatchObject({ name: 'ENTRIES', subjects: ['oms.entries.v1.>'], retention: 'limits' });
    for (const d of [entryChanged, athleteChanged, quotaPlaceChanged]) expect(d.stream).toBe('ENTRIES');
  });
});
