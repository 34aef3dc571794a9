/**
 * Local wall-clock times of a venue (pure): shifts are given as local date-times without offset ("2024-08-02T06:00")
 * in the venue's IANA time zone and stored in UTC. A local time that a DST change skips (does not exist) or repeats
 * (ambiguous) is refused rather than guessed. Built on Intl (the ICU time zone data of Node), no library.
 */

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONE_NAME = /^(?:UTC|[A-Za-z][A-Za-z_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$/;
const HOUR = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** True for an IANA time zone name this runtime knows ("Europe/Paris", "Asia/Tokyo", "UTC"); false for offsets or junk. */
export function isTimeZone(zone: string): boolean {
  if (!ZONE_NAME.test(zone)) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallOf(zone: string, instant: number): Wall {
  const wall: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterOf(zone).formatToParts(new Date(instant))) {
    if (part.type in wall) wall[part.type as keyof Wall] = Number(part.value);
  }
  return wall;
}

const wallAsUtc = (w: Wall): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `instant`, in milliseconds (Paris in summer: +7,200,000). */
export function offsetAt(zone: string, instant: number): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  return wallAsUtc(wallOf(zone, seconds)) - seconds;
}

export type LocalResolution =
  | { ok: true; instant: number }
  | { ok: false; reason: 'malformed' | 'nonexistent' | 'ambiguous'; message: string };

/**
 * The UTC instant of a local date-time in `zone`: every offset the zone has around that day is tried, and the local
 * time must map back to itself under exactly one of them (none: skipped by a DST change; two: repeated by one).
 */
export function resolveLocal(local: string, zone: string): LocalResolution {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) return { ok: false, reason: 'malformed', message: 'must be a local date-time without offset, e.g. 2024-08-02T06:00' };
  const [, year, month, day, hour, minute, second] = m.map((part) => (part === undefined ? 0 : Number(part)));
  const wall: Wall = { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 };
  const guess = wallAsUtc(wall);
  const check = new Date(guess);
  if (
    check.getUTCFullYear() !== wall.year ||
    check.getUTCMonth() + 1 !== wall.month ||
    check.getUTCDate() !== wall.day ||
    wall.hour > 23 ||
    wall.minute > 59 ||
    wall.second > 59
  ) {
    return { ok: false, reason: 'malformed', message: 'is not a valid date and time' };
  }
  const offsets = new Set([offsetAt(zone, guess - 24 * HOUR), offsetAt(zone, guess), offsetAt(zone, guess + 24 * HOUR)]);
  const instants = [...offsets].map((offset) => guess - offset).filter((instant) => wallAsUtc(wallOf(zone, instant)) === guess);
  const unique = [...new Set(instants)];
  const [only] = unique;
  if (only === undefined) return { ok: false, reason: 'nonexistent', message: `does not exist in ${zone} (skipped by a daylight saving change)` };
  if (unique.length > 1) return { ok: false, reason: 'ambiguous', message: `is ambiguous in ${zone} (repeated by a daylight saving change)` };
  return { ok: true, instant: only };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `instant` as the venue's local time with its offset: "2024-08-02T08:00:00+02:00". */
export function formatLocal(instant: number, zone: string): string {
  const w = wallOf(zone, instant);
  const offsetMinutes = Math.round((wallAsUtc(w) - Math.floor(instant / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The venue's local date (YYYY-MM-DD) of `instant`. */
export function localDateOf(instant: number, zone: string): string {
  const w = wallOf(zone, instant);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}
