import { formatLocal, isTimeZone, localDateOf, offsetAt, resolveLocal } from './local-time';

const utc = (iso: string): number => Date.parse(iso);

describe('local times of a venue', () => {
  it('knows IANA zones and refuses offsets and junk', () => {
    for (const zone of ['Europe/Paris', 'Asia/Tokyo', 'America/Argentina/Buenos_Aires', 'Pacific/Tahiti', 'UTC']) expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus', '+02:00', 'Europe/', '', 'Europe/Paris/Extra/Deep', 'europe paris']) expect(isTimeZone(zone)).toBe(false);
  });

  it('resolves a summer and a winter time in Paris', () => {
    expect(resolveLocal('2024-08-02T06:00', 'Europe/Paris')).toEqual({ ok: true, instant: utc('2024-08-02T04:00:00Z') });
    expect(resolveLocal('2024-01-15T06:00:30', 'Europe/Paris')).toEqual({ ok: true, instant: utc('2024-01-15T05:00:30Z') });
    expect(resolveLocal('2024-08-02T06:00', 'Pacific/Tahiti')).toEqual({ ok: true, instant: utc('2024-08-02T16:00:00Z') });
  });

  it('refuses a local time skipped by the spring change and one repeated by the autumn change', () => {
    expect(resolveLocal('2024-03-31T02:30', 'Europe/Paris')).toMatchObject({ ok: false, reason: 'nonexistent' });
    expect(resolveLocal('2024-10-27T02:30', 'Europe/Paris')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(resolveLocal('2024-03-31T03:00', 'Europe/Paris')).toEqual({ ok: true, instant: utc('2024-03-31T01:00:00Z') });
    expect(resolveLocal('2024-10-27T03:00', 'Europe/Paris')).toEqual({ ok: true, instant: utc('2024-10-27T02:00:00Z') });
    expect(resolveLocal('2024-03-10T02:30', 'America/New_York')).toMatchObject({ ok: false, reason: 'nonexistent' });
  });

  it('refuses malformed values and impossible dates', () => {
    for (const bad of ['2024-08-02T06:00Z', '2024-08-02T06:00+02:00', '2024-08-02', '2024-02-30T06:00', '2024-08-02T24:00', 'tomorrow']) {
      expect(resolveLocal(bad, 'Europe/Paris')).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('formats an instant in local time with its offset, and its local date', () => {
    expect(formatLocal(utc('2024-08-02T04:00:00Z'), 'Europe/Paris')).toBe('2024-08-02T06:00:00+02:00');
    expect(formatLocal(utc('2024-01-15T05:00:00Z'), 'America/New_York')).toBe('2024-01-15T00:00:00-05:00');
    expect(formatLocal(utc('2024-08-02T04:00:00Z'), 'Asia/Kolkata')).toBe('2024-08-02T09:30:00+05:30');
    expect(localDateOf(utc('2024-08-02T22:30:00Z'), 'Europe/Paris')).toBe('2024-08-03');
    expect(offsetAt('Europe/Paris', utc('2024-08-02T04:00:00Z'))).toBe(2 * 3_600_000);
  });
});
