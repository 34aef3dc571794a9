/**
 * Opaque keyset cursors: the sort key of a page's last row, as base64url of a JSON array, read back through a zod
 * tuple so that a cursor that is not one this service gave is a 400 `invalid-cursor` naming the parameter. The one
 * version for every service's keyset pages (volunteers' search, accreditation's applications and athletes, workforce).
 */
import { ProblemException } from './problem';
import type { z } from 'zod';

/** How a refused cursor is reported: the parameter named, and what the client is told it must be. */
export interface CursorProblem {
  /** The field named in the problem's `errors` (default `query.cursor`). */
  field?: string;
  /** What the cursor must be; the detail is `cursor <message>` (default: the nextCursor of a previous page, with the same sort). */
  message?: string;
}

const DEFAULT_MESSAGE = 'must be the nextCursor of a previous page, with the same sort';

/** The cursor of a page whose last row has these sort-key values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The values of `text` if it is a cursor of `shape` (a z.tuple, perhaps with a transform to the caller's type), else
 * a 400 `invalid-cursor` naming the field (`problem` as a string: the field's name).
 */
export function decodeCursor<T>(text: string, shape: z.ZodType<T>, problem: string | CursorProblem = {}): T {
  const { field = 'query.cursor', message = DEFAULT_MESSAGE } = typeof problem === 'string' ? { field: problem } : problem;
  const invalid = (): ProblemException =>
    new ProblemException({
      status: 400,
      slug: 'invalid-cursor',
      title: 'Invalid cursor',
      detail: `cursor ${message}`,
      errors: [{ field, message }],
    });
  if (text.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
