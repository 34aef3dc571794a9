import { isAlreadyGone } from './stream-erasure';

const apiError = (code: number, err_code: number, description: string) => Object.assign(new Error(description), { api_error: { code, err_code, description } });

describe('isAlreadyGone: when a deletion from the stream is done', () => {
  it('takes the answers for a sequence no longer there as done (deleted before, aged out, past the end)', () => {
    expect(isAlreadyGone(apiError(400, 10043, 'sequence 5 not found'))).toBe(true);
    expect(isAlreadyGone(apiError(500, 10057, 'no message found'))).toBe(true);
    expect(isAlreadyGone(apiError(500, 10057, 'stream store EOF'))).toBe(true);
  });

  it('keeps the others to try again: a missing stream, another failure, a timeout, no error object', () => {
    expect(isAlreadyGone(apiError(404, 10059, 'stream not found'))).toBe(false);
    expect(isAlreadyGone(apiError(500, 10057, 'write failed'))).toBe(false);
    expect(isAlreadyGone(new Error('TIMEOUT'))).toBe(false);
    expect(isAlreadyGone(undefined)).toBe(false);
  });
});
