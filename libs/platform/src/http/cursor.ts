/**
 * Opaque keyset cursors: the sort key of a page's last row, as base64url of a JSON array, read back through a zod
 * tuple so that a cursor that is not one this service gave is a 400 naming the parameter. Moved here from volunteers'
 * search/cursor.ts (as that file said it would be) for workforce; volunteers and accreditation still have their own
 * copies to switch to this one.
 */
import { ProblemException } from './problem';
import type { z } from 'zod';

/** The cursor of a page whose last row has these sort-key values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of `text` if it is a cursor of `shape` (a z.tuple), else a 400 `invalid-cursor` naming `field`. */
export function decodeCursor<T>(text: string, shape: z.ZodType<T>, field = 'query.cursor'): T {
  const invalid = (): ProblemException =>
    new ProblemException({
      status: 400,
      slug: 'invalid-cursor',
      title: 'Invalid cursor',
      detail: 'cursor must be the nextCursor of a previous page, with the same sort',
      errors: [{ field, message: 'must be the nextCursor of a previous page, with the same sort' }],
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
