import type { DocumentEntry } from './document';
import { ReplayBuffer } from './replay-buffer';

/** An update of document `key` (one document per sequence unless given), LIVE unless said. */
const entry = (seq: number, bytes = 10, key = `doc-${seq}`, resultStatus = 'LIVE'): DocumentEntry =>
  ({ seq, bytes, key, data: { resultStatus } }) as unknown as DocumentEntry;

describe('ReplayBuffer', () => {
  it('answers the updates after a sequence, and knows a skipped sequence carried nothing', () => {
    const buffer = new ReplayBuffer({ maxMessages: 10, maxBytes: 1000 });
    buffer.push(entry(1));
    buffer.advance(2);
    buffer.push(entry(3));
    const all = buffer.since(0);
    expect(all.ok && all.entries.map((e) => e.seq)).toEqual([1, 3]);
    const after1 = buffer.since(1);
    expect(after1.ok && after1.entries.map((e) => e.seq)).toEqual([3]);
    const none = buffer.since(3);
    expect(none.ok && none.entries).toEqual([]);
    expect(buffer.since(4)).toEqual({ ok: false, reason: 'sequence 4 is ahead of this server (last 3)' });
  });

  it('evicts the oldest by count and bytes, and then refuses to answer from before them', () => {
    const buffer = new ReplayBuffer({ maxMessages: 3, maxBytes: 35 });
    for (let seq = 1; seq <= 5; seq++) buffer.push(entry(seq));
    expect(buffer.size).toBe(3);
    expect(buffer.floor).toBe(2);
    expect(buffer.since(1)).toEqual({ ok: false, reason: 'sequence 1 is no longer buffered (updates after 2 are)' });
    const fromFloor = buffer.since(2);
    expect(fromFloor.ok && fromFloor.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    buffer.push(entry(6, 30));
    expect(buffer.bytes).toBeLessThanOrEqual(35);
    expect(buffer.floor).toBe(5);
  });

  it('limits the answer, rejects decreasing sequences and restarts at a sequence', () => {
    const buffer = new ReplayBuffer({ maxMessages: 10, maxBytes: 1000 }, 100);
    expect(buffer.since(99).ok).toBe(false);
    buffer.push(entry(101));
    buffer.push(entry(102));
    const limited = buffer.since(100, 1);
    expect(limited.ok && limited.entries.map((e) => e.seq)).toEqual([101]);
    expect(() => buffer.push(entry(102))).toThrow(RangeError);
    buffer.reset(500);
    expect([buffer.floor, buffer.last, buffer.size]).toEqual([500, 500, 0]);
  });

  it('remembers conflated versions as holes: resuming readers skip them, a complete read across one is refused', () => {
    const buffer = new ReplayBuffer({ maxMessages: 3, maxBytes: 1000 });
    buffer.push(entry(1));
    buffer.conflated(2);
    buffer.push(entry(3));
    buffer.advance(4); // an invalid message: nothing owed
    buffer.push(entry(5));
    const resume = buffer.since(0);
    expect(resume.ok && resume.entries.map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(buffer.since(0, 10, true)).toEqual({ ok: false, reason: 'version at sequence 2 was conflated while this server was behind' });
    const before = buffer.since(0, 1, true);
    expect(before.ok && before.entries.map((e) => e.seq)).toEqual([1]);
    const after = buffer.since(2, 10, true);
    expect(after.ok && after.entries.map((e) => e.seq)).toEqual([3, 5]);
    expect(buffer.holeCount).toBe(1);
    // Once evicted past it, the hole is forgotten with the rest.
    buffer.push(entry(6));
    buffer.push(entry(7));
    expect([buffer.floor, buffer.holeCount]).toEqual([3, 0]);
  });

  it('conflates what a resuming client gets: a LIVE version superseded in the range is left out, OFFICIAL ones never', () => {
    const buffer = new ReplayBuffer({ maxMessages: 100, maxBytes: 10_000 });
    buffer.push(entry(1, 10, 'A'));
    buffer.push(entry(2, 10, 'B'));
    buffer.push(entry(3, 10, 'A', 'OFFICIAL'));
    buffer.push(entry(4, 10, 'A'));
    buffer.push(entry(5, 10, 'B'));
    buffer.push(entry(6, 10, 'C'));
    buffer.push(entry(7, 10, 'A'));
    const resume = buffer.resume(0);
    // A@1 (LIVE, superseded), B@2 (superseded by B@5), A@4 (superseded by A@7) are left out; A@3 is OFFICIAL.
    expect(resume.ok && resume.entries.map((e) => e.seq)).toEqual([3, 5, 6, 7]);
    // From a later point only that range is conflated: B@5 is the latest B, A@4 superseded by A@7.
    const later = buffer.resume(3);
    expect(later.ok && later.entries.map((e) => e.seq)).toEqual([5, 6, 7]);
    // The partner feed (complete) gets every version, and so does a read of the range.
    const complete = buffer.since(0, 100, true);
    expect(complete.ok && complete.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(buffer.resume(9)).toEqual(buffer.since(9));
  });
});
