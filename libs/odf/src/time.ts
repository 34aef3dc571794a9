/**
 * Time helpers for ODF data: IANA time zones via `Intl`, DST-correct, no dependencies.
 */

const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** True when `timeZone` is an IANA time zone name (or 'UTC') known to this runtime's `Intl`. */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    return false;
  }
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as 'Europe/Paris'`);
  }
}

function assertInstant(instant: Date): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError('Expected a valid Date instant');
  }
  return ms;
}

function wallClockAt(ms: number, timeZone: string): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type in wall) {
      wall[part.type as keyof WallClock] = Number(part.value);
    }
  }
  if (wall.hour === 24) {
    wall.hour = 0; // some ICU versions render midnight as 24 despite h23
  }
  return wall;
}

function wallClockMs(wall: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  d.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return d.getTime();
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (whole seconds). */
function offsetMsAt(ms: number, timeZone: string): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallClockMs(wallClockAt(ms, timeZone)) - wholeSecond;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function formatDate(wall: Pick<WallClock, 'year' | 'month' | 'day'>): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(Math.round(offsetMs / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h)}:${pad(m)}${s ? `:${pad(s)}` : ''}`;
}

/**
 * Local wall-clock time of an instant in `timeZone`, ISO-8601 with the offset in force,
 * e.g. `2024-07-27T19:30:00+02:00`. Second precision (milliseconds are dropped); UTC is written `+00:00`.
 */
export function toLocalIso(instantUtc: Date, timeZone: string): string {
  const ms = assertInstant(instantUtc);
  assertTimeZone(timeZone);
  const wall = wallClockAt(ms, timeZone);
  const offset = offsetMsAt(ms, timeZone);
  return `${formatDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${formatOffset(offset)}`;
}

const DAY_END = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The logical (competition) date of an instant: the local date in `timeZone`, minus one day when the local time
 * is before `dayEnd` ('HH:mm', default '03:00'), so a session ending at 01:30 belongs to the previous day.
 * Returns 'YYYY-MM-DD'.
 */
export function logicalDate(instantUtc: Date, timeZone: string, dayEnd = '03:00'): string {
  const ms = assertInstant(instantUtc);
  assertTimeZone(timeZone);
  const match = DAY_END.exec(dayEnd);
  if (!match) {
    throw new RangeError(`dayEnd must be 'HH:mm' (00:00-23:59), got ${JSON.stringify(dayEnd)}`);
  }
  const wall = wallClockAt(ms, timeZone);
  const secondsOfDay = wall.hour * 3600 + wall.minute * 60 + wall.second;
  const dayEndSeconds = Number(match[1]) * 3600 + Number(match[2]) * 60;
  if (secondsOfDay >= dayEndSeconds) {
    return formatDate(wall);
  }
  const previous = new Date(wallClockMs({ ...wall, hour: 12, minute: 0, second: 0 }) - MS_PER_DAY);
  return formatDate({
    year: previous.getUTCFullYear(),
    month: previous.getUTCMonth() + 1,
    day: previous.getUTCDate(),
  });
}

/**
 * How {@link localToUtc} resolves a wall-clock time that is ambiguous (DST fall-back: it happens twice) or that
 * does not exist (DST spring-forward gap). Same meaning as Temporal's `disambiguation` option:
 * - 'compatible' (default): earlier of two in an overlap; in a gap, shifted forward by the gap length (02:30 -> 03:30);
 * - 'earlier' / 'later': the earlier or later candidate (in a gap: shifted backward / forward);
 * - 'reject': throw a RangeError for ambiguous or non-existent times.
 */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

export interface LocalToUtcOptions {
  disambiguation?: Disambiguation;
}

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * Resolves a wall-clock time in `timeZone` ('YYYY-MM-DDTHH:mm[:ss[.sss]]', no offset) to the UTC instant, DST-correct.
 * E.g. `localToUtc('2024-07-27T19:30', 'Europe/Paris')` is 2024-07-27T17:30:00Z.
 */
export function localToUtc(localIso: string, timeZone: string, options: LocalToUtcOptions = {}): Date {
  assertTimeZone(timeZone);
  const match = typeof localIso === 'string' ? LOCAL_ISO.exec(localIso) : null;
  if (!match) {
    throw new RangeError(
      `Local time must be 'YYYY-MM-DDTHH:mm[:ss]' without offset, got ${JSON.stringify(localIso)}`,
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((v) => Number(v ?? 0));
  const millis = Number((match[7] ?? '').padEnd(3, '0') || 0);
  const wall: WallClock = { year, month, day, hour, minute, second };
  const localMs = wallClockMs(wall);
  const check = new Date(localMs);
  if (
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() + 1 !== month ||
    check.getUTCDate() !== day
  ) {
    throw new RangeError(`Local time ${JSON.stringify(localIso)} is not a valid calendar date and time`);
  }

  const offsetBefore = offsetMsAt(localMs - MS_PER_DAY, timeZone);
  const offsetAfter = offsetMsAt(localMs + MS_PER_DAY, timeZone);
  const candidates = [...new Set([localMs - offsetBefore, localMs - offsetAfter])]
    .filter((t) => t + offsetMsAt(t, timeZone) === localMs)
    .sort((a, b) => a - b);
  const disambiguation = options.disambiguation ?? 'compatible';

  let resolved: number;
  if (candidates.length === 1) {
    resolved = candidates[0] as number;
  } else if (candidates.length > 1) {
    if (disambiguation === 'reject') {
      throw new RangeError(`Local time ${localIso} is ambiguous in ${timeZone} (clocks go back)`);
    }
    resolved = (disambiguation === 'later' ? candidates[candidates.length - 1] : candidates[0]) as number;
  } else {
    if (disambiguation === 'reject') {
      throw new RangeError(`Local time ${localIso} does not exist in ${timeZone} (clocks go forward)`);
    }
    // In a gap: 'earlier' reads the time with the offset after the transition, 'later'/'compatible' with the one before.
    resolved = disambiguation === 'earlier' ? localMs - offsetAfter : localMs - offsetBefore;
  }
  return new Date(resolved + millis);
}
