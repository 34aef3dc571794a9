import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls >= 3 ? `done after ${calls}` : null), { intervalMs: 1 })).resolves.toBe('done after 3');
  });

  it('treats a throwing or rejecting predicate as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not ready');
        return 42;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(42);
  });

  it('times out naming what it waited for and the last error', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 80, intervalMs: 10, description: 'the outbox to drain' },
      ),
    ).rejects.toThrow('waitFor timed out after 80 ms: the outbox to drain; last error: connection refused');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('times out without an error when the predicate kept returning a falsy value', async () => {
    await expect(waitFor(() => false, { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(/^waitFor timed out after 20 ms$/);
  });
});
