import { envelopeFor, parseEnvelope, subjectFor } from '../subject-map';
import {
  athleteChanged,
  athleteStateSchema,
  entriesStream,
  entryChanged,
  entryStateSchema,
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
