import { Batch, BatchWriter, SharedRead } from './batching';

/** A promise and its resolver, to hold a read or write open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('SharedRead', () => {
  it('serves the callers queued before a read with that one read, and a caller arriving during a read with the next', async () => {
    const reads: { started: number; hold: ReturnType<typeof gate> }[] = [];
    const shared = new SharedRead(() => {
      const hold = gate();
      reads.push({ started: reads.length, hold });
      return hold.promise;
    });
    const order: string[] = [];
    const first = shared.fresh().then(() => order.push('first'));
    await Promise.resolve();
    expect(reads).toHaveLength(1);
    // Arrives while read 1 runs: read 1 may have missed what was committed just before it arrived.
    const second = shared.fresh().then(() => order.push('second'));
    const third = shared.fresh().then(() => order.push('third'));
    reads[0]!.hold.open();
    await first;
    expect(order).toEqual(['first']);
    await new Promise((r) => setImmediate(r));
    expect(reads).toHaveLength(2);
    reads[1]!.hold.open();
    await Promise.all([second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(reads).toHaveLength(2);
  });

  it('rejects the callers of a failed read and reads again for the next caller', async () => {
    let fail = true;
    let count = 0;
    const shared = new SharedRead(async () => {
      count++;
      if (fail) throw new Error('database down');
    });
    await expect(shared.fresh()).rejects.toThrow('database down');
    fail = false;
    await expect(shared.fresh()).resolves.toBeUndefined();
    expect(count).toBe(2);
  });
});

describe('BatchWriter', () => {
  it('writes the rows queued during a write together in the next one, at most maxRows at a time, and resolves each after its write', async () => {
    const writes: number[][] = [];
    const holds: ReturnType<typeof gate>[] = [];
    const writer = new BatchWriter<number>((rows) => {
      writes.push(rows);
      const hold = gate();
      holds.push(hold);
      return hold.promise;
    }, 3);
    const done: number[] = [];
    const all = [1, 2, 3, 4, 5, 6].map((n) => writer.write(n).then(() => done.push(n)));
    await Promise.resolve();
    expect(writes).toEqual([[1]]);
    holds[0]!.open();
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual([1]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
    holds[1]!.open();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(done).toEqual([1, 2, 3, 4]);
    holds[2]!.open();
    await Promise.all(all);
    expect(done).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fails every row of a failed write, and writes the next rows', async () => {
    let fail = true;
    const writer = new BatchWriter<string>(async () => {
      if (fail) throw new Error('insert failed');
    });
    await expect(writer.write('a')).rejects.toThrow('insert failed');
    fail = false;
    await expect(writer.write('b')).resolves.toBeUndefined();
  });
});

describe('Batch', () => {
  it("answers each row with its own result, the rows queued during a run together in the next one", async () => {
    const runs: string[][] = [];
    let release: () => void = () => undefined;
    const batch = new Batch<string, number>(async (rows) => {
      runs.push(rows);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return rows.map((r) => r.length);
    });
    const first = batch.submit('a');
    await new Promise((r) => setImmediate(r));
    const later = [batch.submit('bb'), batch.submit('ccc'), batch.submit('bb')];
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([2, 3, 2]);
    expect(runs).toEqual([['a'], ['bb', 'ccc', 'bb']]);
  });
});
