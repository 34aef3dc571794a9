import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';
import { ProblemException } from './problem';

describe('keyset cursors', () => {
  const shape = z.tuple([z.string(), z.uuid()]);

  it('reads back the values it encoded', () => {
    const values = ['BERNARD', '6a1f2e3d-4c5b-4a69-8877-665544332211'] as const;
    expect(decodeCursor(encodeCursor(values), shape)).toEqual(values);
  });

  it.each([['not base64!'], [Buffer.from('{oops').toString('base64url')], [encodeCursor(['a', 'not-a-uuid'])], ['x'.repeat(2001)]])(
    'answers 400 invalid-cursor naming the parameter for %s',
    (text) => {
      let error: unknown;
      try {
        decodeCursor(text, shape, 'query.after');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProblemException);
      const problem = error as ProblemException;
      expect(problem.getStatus()).toBe(400);
      expect(problem.slug).toBe('invalid-cursor');
      expect(problem.errors).toEqual([{ field: 'query.after', message: expect.any(String) }]);
    },
  );
});
