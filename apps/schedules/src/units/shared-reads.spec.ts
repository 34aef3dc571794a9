import { SharedReads } from './shared-reads';

/** A read whose answers the test releases one by one; `value` is what a read started now would answer. */
function controlledRead() {
  const pending: { started: number; resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  const state = { value: 1, reads: 0 };
  const read = jest.fn(
    (key: string) =>
      new Promise<number>((resolve, reject) => {
        expect(key).toBe('OG2024');
        state.reads++;
        pending.push({ started: state.value, resolve, reject });
      }),
  );
  /** Answers the oldest read in flight with the value it started with (or fails it). */
  const settle = async (error?: Error) => {
    const next = pending.shift();
    if (!next) throw new Error('no read in flight');
    if (error) next.reject(error);
    else next.resolve(next.started);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { read, state, settle };
}

describe('SharedReads', () => {
  it('gives a caller that comes during a read the next read, shared with the others that came meanwhile', async () => {
    const { read, state, settle } = controlledRead();
    const reads = new SharedReads(read);
    const first = reads.get('OG2024');
    state.value = 2; // a change commits while the first read is in flight
    const second = reads.get('OG2024');
    const third = reads.get('OG2024');
    expect(state.reads).toBe(1);
    await settle();
    await expect(first).resolves.toBe(1);
    expect(state.reads).toBe(2); // the next read started as soon as the first ended
    await settle();
    await expect(second).resolves.toBe(2); // not the first read's 1: it began before they asked
    await expect(third).resolves.toBe(2);
    expect(reads.size).toBe(0);
  });

  it('starts a fresh read for a caller that comes once the reads are done', async () => {
    const { read, state, settle } = controlledRead();
    const reads = new SharedReads(read);
    const first = reads.get('OG2024');
    await settle();
    await expect(first).resolves.toBe(1);
    state.value = 3;
    const later = reads.get('OG2024');
    await settle();
    await expect(later).resolves.toBe(3);
    expect(state.reads).toBe(2);
  });

  it('does not pass a failed read to the callers waiting for the next one', async () => {
    const { read, settle } = controlledRead();
    const reads = new SharedReads(read);
    const failing = reads.get('OG2024');
    const waiting = reads.get('OG2024');
    await settle(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await settle();
    await expect(waiting).resolves.toBe(1);
    expect(reads.size).toBe(0);
  });
});
