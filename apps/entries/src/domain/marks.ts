import type { Measure } from './rules-pack.schema';

export type MarkResult = { ok: true; value: number } | { ok: false; error: string };

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The canonical value of a mark as written: a time in seconds ('9.58', '1:44.70', '2:08:10'), a distance in metres
 * ('2.33', '89.45') or points ('8460', '298.5').
 */
export function parseMark(measure: Measure, text: string): MarkResult {
  const mark = text.trim();
  if (measure !== 'time') {
    return DECIMAL.test(mark)
      ? { ok: true, value: Number(mark) }
      : { ok: false, error: `'${text}' is not a ${measure === 'distance' ? 'distance in metres' : 'number of points'}` };
  }
  const parts = mark.split(':');
  const seconds = parts[parts.length - 1] ?? '';
  const bad: MarkResult = { ok: false, error: `'${text}' is not a time (ss.xx, m:ss.xx or h:mm:ss)` };
  if (parts.length > 3 || !DECIMAL.test(seconds)) return bad;
  const higher = parts.slice(0, -1);
  if (higher.some((p) => !/^\d+$/.test(p))) return bad;
  // Every unit below the first one is below 60 (1:44.70 has 44.70 seconds; 2:08:10 has 08 minutes).
  if (higher.length > 0 && Number(seconds) >= 60) return bad;
  if (higher.length === 2 && Number(higher[1]) >= 60) return bad;
  const value = higher.reduce((acc, p) => acc * 60 + Number(p), 0) * 60 + Number(seconds);
  return { ok: true, value };
}

const EPSILON = 1e-9;

/** True when `value` is at least as good as `standard` ('lower' is better for times, 'higher' for distances/points). */
export function meetsStandard(value: number, standard: number, better: 'lower' | 'higher'): boolean {
  return better === 'lower' ? value <= standard + EPSILON : value >= standard - EPSILON;
}

/** The better of two values. */
export function isBetter(a: number, b: number, better: 'lower' | 'higher'): boolean {
  return better === 'lower' ? a < b - EPSILON : a > b + EPSILON;
}
