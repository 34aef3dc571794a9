import { errorMessage, exponentialBackoff, scheduledBackoff, sleep, withTimeout } from './timing';

describe('timing helpers', () => {
  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => exponentialBackoff(n, 100, 1000))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(exponentialBackoff(0, 100, 1000)).toBe(100);
    expect(exponentialBackoff(10_000, 100, 5000)).toBe(5000);
  });

  it('repeats the last step of a schedule', () => {
    expect([1, 2, 3, 4].map((n) => scheduledBackoff(n, [10, 20, 30]))).toEqual([10, 20, 30, 30]);
    expect(scheduledBackoff(3, [])).toBe(0);
  });

  it('sleep ends early when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('withTimeout rejects late promises and passes fast ones through', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'too slow')).rejects.toThrow('too slow');
    await expect(withTimeout(Promise.resolve(42), 1000, 'too slow')).resolves.toBe(42);
  });

  it('errorMessage reads errors, strings and objects', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ code: 1 })).toBe('{"code":1}');
  });
});
