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

  it('tells what the cursor must be, by default and as the caller words it', () => {
    const refused = (problem?: Parameters<typeof decodeCursor>[2]): ProblemException => {
      try {
        decodeCursor('bm90LWpzb24', shape, problem);
      } catch (e) {
        return e as ProblemException;
      }
      throw new Error('accepted');
    };
    const byDefault = refused();
    expect(byDefault.detail).toBe('cursor must be the nextCursor of a previous page, with the same sort');
    expect(byDefault.errors).toEqual([{ field: 'query.cursor', message: 'must be the nextCursor of a previous page, with the same sort' }]);
    const worded = refused({ field: 'cursor', message: 'must be the nextCursor of a previous page' });
    expect(worded.slug).toBe('invalid-cursor');
    expect(worded.detail).toBe('cursor must be the nextCursor of a previous page');
    expect(worded.errors).toEqual([{ field: 'cursor', message: 'must be the nextCursor of a previous page' }]);
  });

  it("returns the shape's output, so a transform gives the caller's own type", () => {
    const named = z.tuple([z.string(), z.uuid()]).transform(([name, id]) => ({ name, id }));
    const id = '6a1f2e3d-4c5b-4a69-8877-665544332211';
    expect(decodeCursor(encodeCursor(['BERNARD', id]), named)).toEqual({ name: 'BERNARD', id });
  });

  it('refuses an array longer than the tuple', () => {
    expect(() => decodeCursor(encodeCursor(['a', '6a1f2e3d-4c5b-4a69-8877-665544332211', 'extra']), shape)).toThrow(ProblemException);
  });
});
