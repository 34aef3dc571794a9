import { isValidTimeZone, localToUtc, logicalDate, toLocalIso } from './time';

const at = (iso: string): Date => new Date(iso);
const PARIS = 'Europe/Paris';
const LA = 'America/Los_Angeles';

describe('isValidTimeZone', () => {
  it.each(['Europe/Paris', 'America/Los_Angeles', 'UTC', 'Asia/Kolkata'])('accepts %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });
  it.each(['Mars/Olympus_Mons', '', '  ', 'not a zone', 42, null])('rejects %j', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('toLocalIso', () => {
  it('formats the wall clock with the offset in force', () => {
    expect(toLocalIso(at('2024-07-27T17:30:00Z'), PARIS)).toBe('2024-07-27T19:30:00+02:00');
    expect(toLocalIso(at('2024-01-15T17:30:00Z'), PARIS)).toBe('2024-01-15T18:30:00+01:00');
    expect(toLocalIso(at('2024-07-27T17:30:00Z'), 'UTC')).toBe('2024-07-27T17:30:00+00:00');
    expect(toLocalIso(at('2024-07-27T17:30:00Z'), 'Asia/Kolkata')).toBe('2024-07-27T23:00:00+05:30');
    expect(toLocalIso(at('2024-07-27T17:30:00Z'), LA)).toBe('2024-07-27T10:30:00-07:00');
  });

  it('writes midnight as 00 and drops milliseconds', () => {
    expect(toLocalIso(at('2024-07-27T22:00:00.999Z'), PARIS)).toBe('2024-07-28T00:00:00+02:00');
  });

  it('crosses the Paris spring-forward gap (2024-03-31 02:00 -> 03:00)', () => {
    expect(toLocalIso(at('2024-03-31T00:59:59Z'), PARIS)).toBe('2024-03-31T01:59:59+01:00');
    expect(toLocalIso(at('2024-03-31T01:00:00Z'), PARIS)).toBe('2024-03-31T03:00:00+02:00');
  });

  it('shows the Paris fall-back hour twice with different offsets (2024-10-27)', () => {
    expect(toLocalIso(at('2024-10-27T00:30:00Z'), PARIS)).toBe('2024-10-27T02:30:00+02:00');
    expect(toLocalIso(at('2024-10-27T01:30:00Z'), PARIS)).toBe('2024-10-27T02:30:00+01:00');
  });

  it('crosses Los Angeles transitions (2024-03-10 and 2024-11-03)', () => {
    expect(toLocalIso(at('2024-03-10T09:59:59Z'), LA)).toBe('2024-03-10T01:59:59-08:00');
    expect(toLocalIso(at('2024-03-10T10:00:00Z'), LA)).toBe('2024-03-10T03:00:00-07:00');
    expect(toLocalIso(at('2024-11-03T08:30:00Z'), LA)).toBe('2024-11-03T01:30:00-07:00');
    expect(toLocalIso(at('2024-11-03T09:30:00Z'), LA)).toBe('2024-11-03T01:30:00-08:00');
  });

  it('rejects an unknown zone or an invalid date', () => {
    expect(() => toLocalIso(at('2024-07-27T17:30:00Z'), 'Paris')).toThrow(/Unknown time zone "Paris"/);
    expect(() => toLocalIso(new Date('nope'), PARIS)).toThrow(RangeError);
  });
});

describe('logicalDate', () => {
  it('is the local date from 03:00, the previous date before', () => {
    expect(logicalDate(at('2024-07-28T00:30:00Z'), PARIS)).toBe('2024-07-27'); // 02:30 local
    expect(logicalDate(at('2024-07-28T00:59:59Z'), PARIS)).toBe('2024-07-27'); // 02:59:59 local
    expect(logicalDate(at('2024-07-28T01:00:00Z'), PARIS)).toBe('2024-07-28'); // 03:00 local
    expect(logicalDate(at('2024-07-27T21:59:00Z'), PARIS)).toBe('2024-07-27'); // 23:59 local
  });

  it('uses the local date, not the UTC date', () => {
    expect(logicalDate(at('2024-07-28T06:30:00Z'), LA)).toBe('2024-07-27'); // 23:30 PDT on the 27th
    expect(logicalDate(at('2024-07-28T09:30:00Z'), LA)).toBe('2024-07-27'); // 02:30 PDT
    expect(logicalDate(at('2024-07-28T10:00:00Z'), LA)).toBe('2024-07-28'); // 03:00 PDT
  });

  it('steps back across month, leap-day and year boundaries', () => {
    expect(logicalDate(at('2024-01-01T01:00:00Z'), PARIS)).toBe('2023-12-31');
    expect(logicalDate(at('2024-03-01T01:30:00Z'), PARIS)).toBe('2024-02-29');
  });

  it('is right on DST nights', () => {
    expect(logicalDate(at('2024-03-31T00:30:00Z'), PARIS)).toBe('2024-03-30'); // 01:30 CET
    expect(logicalDate(at('2024-03-31T01:00:00Z'), PARIS)).toBe('2024-03-31'); // 03:00 CEST
    expect(logicalDate(at('2024-10-27T01:30:00Z'), PARIS)).toBe('2024-10-26'); // second 02:30 (CET)
    expect(logicalDate(at('2024-10-27T02:00:00Z'), PARIS)).toBe('2024-10-27'); // 03:00 CET
    expect(logicalDate(at('2024-03-10T10:30:00Z'), LA)).toBe('2024-03-10'); // 03:30 PDT
    expect(logicalDate(at('2024-03-10T09:30:00Z'), LA)).toBe('2024-03-09'); // 01:30 PST
  });

  it('honours a custom day end', () => {
    expect(logicalDate(at('2024-07-28T00:30:00Z'), PARIS, '00:00')).toBe('2024-07-28');
    expect(logicalDate(at('2024-07-28T02:30:00Z'), PARIS, '05:00')).toBe('2024-07-27'); // 04:30 local
    expect(logicalDate(at('2024-07-28T03:00:00Z'), PARIS, '05:00')).toBe('2024-07-28');
  });

  it('rejects a malformed day end or zone', () => {
    expect(() => logicalDate(at('2024-07-28T00:30:00Z'), PARIS, '3:00')).toThrow(/dayEnd must be 'HH:mm'/);
    expect(() => logicalDate(at('2024-07-28T00:30:00Z'), PARIS, '24:00')).toThrow(RangeError);
    expect(() => logicalDate(at('2024-07-28T00:30:00Z'), 'Nowhere/City')).toThrow(/Unknown time zone/);
  });
});

describe('localToUtc', () => {
  const iso = (d: Date): string => d.toISOString();

  it('resolves ordinary wall-clock times', () => {
    expect(iso(localToUtc('2024-07-27T19:30', PARIS))).toBe('2024-07-27T17:30:00.000Z');
    expect(iso(localToUtc('2024-01-15T18:30:00', PARIS))).toBe('2024-01-15T17:30:00.000Z');
    expect(iso(localToUtc('2024-07-27T10:30:15.25', LA))).toBe('2024-07-27T17:30:15.250Z');
    expect(iso(localToUtc('2024-07-28T00:00', 'UTC'))).toBe('2024-07-28T00:00:00.000Z');
    expect(iso(localToUtc('2024-07-27T23:00', 'Asia/Kolkata'))).toBe('2024-07-27T17:30:00.000Z');
  });

  it('is exact just around the transitions', () => {
    expect(iso(localToUtc('2024-03-31T01:59:59', PARIS))).toBe('2024-03-31T00:59:59.000Z');
    expect(iso(localToUtc('2024-03-31T03:00', PARIS))).toBe('2024-03-31T01:00:00.000Z');
    expect(iso(localToUtc('2024-10-27T03:00', PARIS))).toBe('2024-10-27T02:00:00.000Z');
    expect(iso(localToUtc('2024-10-27T01:59:59', PARIS))).toBe('2024-10-26T23:59:59.000Z');
  });

  it('resolves a time in the spring-forward gap like Temporal does', () => {
    // Paris 2024-03-31 02:30 does not exist
    expect(iso(localToUtc('2024-03-31T02:30', PARIS))).toBe('2024-03-31T01:30:00.000Z'); // = 03:30 CEST
    expect(iso(localToUtc('2024-03-31T02:30', PARIS, { disambiguation: 'later' }))).toBe('2024-03-31T01:30:00.000Z');
    expect(iso(localToUtc('2024-03-31T02:30', PARIS, { disambiguation: 'earlier' }))).toBe('2024-03-31T00:30:00.000Z');
    expect(() => localToUtc('2024-03-31T02:30', PARIS, { disambiguation: 'reject' })).toThrow(/does not exist/);
    // Los Angeles 2024-03-10 02:30 does not exist
    expect(iso(localToUtc('2024-03-10T02:30', LA))).toBe('2024-03-10T10:30:00.000Z'); // = 03:30 PDT
    expect(iso(localToUtc('2024-03-10T02:30', LA, { disambiguation: 'earlier' }))).toBe('2024-03-10T09:30:00.000Z');
  });

  it('resolves a repeated fall-back time to the earlier one unless told otherwise', () => {
    expect(iso(localToUtc('2024-10-27T02:30', PARIS))).toBe('2024-10-27T00:30:00.000Z');
    expect(iso(localToUtc('2024-10-27T02:30', PARIS, { disambiguation: 'earlier' }))).toBe('2024-10-27T00:30:00.000Z');
    expect(iso(localToUtc('2024-10-27T02:30', PARIS, { disambiguation: 'later' }))).toBe('2024-10-27T01:30:00.000Z');
    expect(() => localToUtc('2024-10-27T02:30', PARIS, { disambiguation: 'reject' })).toThrow(/ambiguous/);
    expect(iso(localToUtc('2024-11-03T01:30', LA))).toBe('2024-11-03T08:30:00.000Z');
    expect(iso(localToUtc('2024-11-03T01:30', LA, { disambiguation: 'later' }))).toBe('2024-11-03T09:30:00.000Z');
  });

  it('round-trips every quarter hour across both DST transitions', () => {
    for (const [tz, days] of [
      [PARIS, ['2024-03-30T20:00:00Z', '2024-10-26T20:00:00Z']],
      [LA, ['2024-03-10T04:00:00Z', '2024-11-03T04:00:00Z']],
    ] as const) {
      for (const start of days) {
        for (let i = 0; i < 48; i++) {
          const instant = new Date(Date.parse(start) + i * 15 * 60_000);
          const local = toLocalIso(instant, tz).slice(0, 19);
          const earlier = localToUtc(local, tz, { disambiguation: 'earlier' }).getTime();
          const later = localToUtc(local, tz, { disambiguation: 'later' }).getTime();
          expect([earlier, later]).toContain(instant.getTime());
        }
      }
    }
  });

  it.each([
    ['2024-07-27 19:30', /YYYY-MM-DDTHH:mm/],
    ['2024-07-27T19:30Z', /without offset/],
    ['2024-07-27T19:30+02:00', /without offset/],
    ['2024-07-27', /YYYY-MM-DDTHH:mm/],
    ['2024-02-30T10:00', /not a valid calendar date/],
    ['2023-02-29T10:00', /not a valid calendar date/],
    ['2024-07-27T24:00', /not a valid calendar date/],
    ['2024-07-27T19:60', /not a valid calendar date/],
  ])('rejects %j', (input, message) => {
    expect(() => localToUtc(input, PARIS)).toThrow(message);
  });

  it('rejects an unknown zone', () => {
    expect(() => localToUtc('2024-07-27T19:30', 'Europe/Atlantis')).toThrow(/Unknown time zone/);
  });
});
