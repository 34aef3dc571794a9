import { ConflatingQueue, type QueueItem } from './conflating-queue';

const item = (seq: number, key: string | null, conflatable = true, bytes = 10): QueueItem => ({
  seq,
  conflationKey: key,
  conflatable,
  bytes,
});

describe('ConflatingQueue', () => {
  it('keeps only the latest LIVE item per key, appended at the end so sequences keep increasing', () => {
    const q = new ConflatingQueue<QueueItem>({ maxMessages: 10, maxBytes: 1000 });
    q.push(item(1, 'A'));
    q.push(item(2, 'B', false));
    expect(q.push(item(3, 'A'))).toEqual({ ok: true, replaced: true });
    expect(q.size).toBe(2);
    expect(q.bytes).toBe(20);
    expect(q.conflated).toBe(1);
    expect([q.shift()?.seq, q.shift()?.seq, q.shift()]).toEqual([2, 3, undefined]);
    expect(q.size).toBe(0);
    expect(q.bytes).toBe(0);
  });

  it('never replaces or drops a non-conflatable (OFFICIAL) item', () => {
    const q = new ConflatingQueue<QueueItem>({ maxMessages: 10, maxBytes: 1000 });
    q.push(item(1, 'A', false));
    q.push(item(2, 'A', false));
    q.push(item(3, 'A'));
    q.push(item(4, 'A'));
    expect([q.shift(), q.shift(), q.shift()].map((i) => i?.seq)).toEqual([1, 2, 4]);
  });

  it('refuses an item beyond the message or byte bound, counting what a replacement frees', () => {
    const q = new ConflatingQueue<QueueItem>({ maxMessages: 2, maxBytes: 25 });
    q.push(item(1, 'A'));
    q.push(item(2, 'B'));
    expect(q.push(item(3, 'C'))).toEqual({ ok: false, reason: 'more than 2 messages waiting' });
    expect(q.push(item(4, 'A'))).toEqual({ ok: true, replaced: true });
    expect(q.push(item(5, 'B', true, 16))).toEqual({ ok: false, reason: 'more than 25 bytes waiting' });
    expect(q.size).toBe(2);
  });

  it('a key whose item was sent starts again (no replacement of something already written)', () => {
    const q = new ConflatingQueue<QueueItem>({ maxMessages: 10, maxBytes: 1000 });
    q.push(item(1, 'A'));
    expect(q.shift()?.seq).toBe(1);
    expect(q.push(item(2, 'A'))).toEqual({ ok: true, replaced: false });
    expect(q.peek()?.seq).toBe(2);
  });

  it('stays correct over many conflations (compaction)', () => {
    const q = new ConflatingQueue<QueueItem>({ maxMessages: 5, maxBytes: 10_000 });
    for (let i = 1; i <= 5000; i++) expect(q.push(item(i, `k${i % 3}`)).ok).toBe(true);
    expect(q.size).toBe(3);
    expect([q.shift(), q.shift(), q.shift()].map((i) => i?.seq)).toEqual([4998, 4999, 5000]);
    q.clear();
    expect(q.peek()).toBeUndefined();
  });
});
