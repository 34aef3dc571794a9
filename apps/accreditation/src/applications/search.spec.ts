import { ProblemException } from '@podium/platform';

import { decodeSearchCursor, encodeSearchCursor } from './search';

describe("the applications list's cursor", () => {
  const id = '6a1f2e3d-4c5b-4a69-8877-665544332211';

  it('reads back the position it encoded', () => {
    expect(decodeSearchCursor(encodeSearchCursor({ family: 'dupre', given: 'eloise', id }))).toEqual({ family: 'dupre', given: 'eloise', id });
  });

  it.each([
    ['not JSON', 'bm90LWpzb24'],
    ['two values', Buffer.from(JSON.stringify(['a', id])).toString('base64url')],
    ['not a uuid', Buffer.from(JSON.stringify(['a', 'b', 'not-a-uuid'])).toString('base64url')],
    ['a key over 200 characters', Buffer.from(JSON.stringify(['a'.repeat(201), 'b', id])).toString('base64url')],
    ['a number', Buffer.from(JSON.stringify(['a', 1, id])).toString('base64url')],
  ])('refuses %s with 400 invalid-cursor naming cursor', (_label, text) => {
    let error: unknown;
    try {
      decodeSearchCursor(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getResponse()).toMatchObject({
      status: 400,
      type: expect.stringMatching(/\/invalid-cursor$/),
      detail: 'cursor must be the nextCursor of a previous page',
      errors: [{ field: 'cursor', message: 'must be the nextCursor of a previous page' }],
    });
  });
});
