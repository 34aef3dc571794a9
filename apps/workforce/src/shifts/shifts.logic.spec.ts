import type { Shift } from '../generated/prisma/client';
import { localWithoutOffset, resolveSpan, shiftFacts, shiftView } from './shifts.logic';

const row: Shift = {
  id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  edition: 'OG2024',
  venue: 'STA',
  functionalArea: 'VEN',
  role: 'Usher',
  startsAt: new Date('2024-08-02T04:00:00Z'),
  endsAt: new Date('2024-08-02T12:00:00Z'),
  localDate: '2024-08-02',
  headcount: 4,
  requiredSkills: ['first-aid'],
  requiredLanguages: ['fr'],
  session: null,
  status: 'draft',
  flag: null,
  version: 1,
  createdBy: 'mgr',
  createdAt: new Date('2024-06-01T00:00:00Z'),
  updatedAt: new Date('2024-06-01T00:00:00Z'),
};

describe('shifts, pure', () => {
  it('resolves a local span in the venue zone and refuses DST gaps, overlaps, reversed and over-long spans naming the field', () => {
    expect(resolveSpan('2024-08-02T06:00', '2024-08-02T14:00', 'Europe/Paris')).toEqual({
      ok: true,
      startsAt: new Date('2024-08-02T04:00:00Z'),
      endsAt: new Date('2024-08-02T12:00:00Z'),
    });
    expect(resolveSpan('2024-03-31T02:30', '2024-03-31T10:00', 'Europe/Paris')).toEqual({ ok: false, errors: [{ field: 'body.start', message: expect.stringMatching(/does not exist/) }] });
    expect(resolveSpan('2024-10-26T20:00', '2024-10-27T02:15', 'Europe/Paris')).toEqual({ ok: false, errors: [{ field: 'body.end', message: expect.stringMatching(/ambiguous/) }] });
    expect(resolveSpan('2024-08-02T14:00', '2024-08-02T06:00', 'Europe/Paris')).toEqual({ ok: false, errors: [{ field: 'body.end', message: 'must be after start' }] });
    expect(resolveSpan('2024-08-02T06:00', '2024-08-03T07:00', 'Europe/Paris')).toMatchObject({ ok: false, errors: [{ field: 'body.end' }] });
    expect(resolveSpan('2024-08-02T06:00Z', 'nope', 'Europe/Paris', 'shifts[3].')).toMatchObject({ ok: false, errors: [{ field: 'shifts[3].start' }, { field: 'shifts[3].end' }] });
  });

  it('spans a DST change by its real length (a night shift in Paris on 27 October lasts an hour more)', () => {
    const span = resolveSpan('2024-10-26T22:00', '2024-10-27T06:00', 'Europe/Paris');
    if (!span.ok) throw new Error('expected a span');
    expect(span.endsAt.getTime() - span.startsAt.getTime()).toBe(9 * 3_600_000);
  });

  it('shows a shift in UTC and in local time, and gives its facts', () => {
    expect(shiftView(row, 'Europe/Paris', 2)).toMatchObject({ start: '2024-08-02T04:00:00.000Z', startLocal: '2024-08-02T06:00:00+02:00', endLocal: '2024-08-02T14:00:00+02:00', filled: 2 });
    expect(shiftFacts(row)).toEqual({
      id: row.id,
      venue: 'STA',
      functionalArea: 'VEN',
      start: Date.parse('2024-08-02T04:00:00Z'),
      end: Date.parse('2024-08-02T12:00:00Z'),
      localDate: '2024-08-02',
      requiredSkills: ['first-aid'],
      requiredLanguages: ['fr'],
    });
    expect(localWithoutOffset(row.startsAt, 'Europe/Paris')).toBe('2024-08-02T06:00:00');
  });
});
