import { logicalDate, toLocalIso } from '@podium/odf';

/** Human-readable local wall clock for messages, e.g. '2024-08-04 21:50'. */
export function localLabel(instantUtc: Date, timeZone: string): string {
  return toLocalIso(instantUtc, timeZone).slice(0, 16).replace('T', ' ');
}

/** Local wall-clock range for messages, e.g. '2024-08-04 21:50-22:00' or '2024-08-04 23:00-2024-08-05 00:30'. */
export function localRangeLabel(startUtc: Date, endUtc: Date, timeZone: string): string {
  const start = localLabel(startUtc, timeZone);
  const end = localLabel(endUtc, timeZone);
  return start.slice(0, 10) === end.slice(0, 10) ? `${start}-${end.slice(11)}` : `${start}-${end}`;
}

/**
 * The logical (competition) days an interval spans, in `timeZone`: the logical date of its start and of its last
 * instant (the end is exclusive, so a session ending exactly at the logical day end stays on its day).
 */
export function logicalSpan(
  startUtc: Date,
  endUtc: Date,
  timeZone: string,
  dayEnd: string,
): { first: string; last: string } {
  const lastInstant = new Date(Math.max(startUtc.getTime(), endUtc.getTime() - 1));
  return { first: logicalDate(startUtc, timeZone, dayEnd), last: logicalDate(lastInstant, timeZone, dayEnd) };
}
