import { type FrameSource, type OutboundMessage, Outlet, type Sink } from './outlet';
import { QueuedBytesBudget } from './queued-bytes-budget';
import { WriteBatch } from './write-batch';

class FakeSink implements Sink {
  pending = 0;
  written: number[] = [];
  /** Frames per write call (1 for write, n for writeMany). */
  calls: number[] = [];
  closedWith: string | null = null;
  drainRequests = 0;
  requestDrain(): void {
    this.drainRequests++;
  }
  buffered(): number {
    return this.pending;
  }
  write(frame: Buffer): void {
    this.pending += frame.length;
    this.written.push(frame.readUInt8(0));
    this.calls.push(1);
  }
  writeMany(frames: readonly Buffer[]): void {
    for (const frame of frames) {
      this.pending += frame.length;
      this.written.push(frame.readUInt8(0));
    }
    this.calls.push(frames.length);
  }
  closedAtOnce = false;
  close(reason: string, immediate = false): void {
    this.closedWith = reason;
    this.closedAtOnce = immediate;
  }
}

/** Frames 101, 102, … (100 bytes each), counting how many were built. */
class CountingSource implements FrameSource {
  built = 0;
  constructor(private readonly frames: number) {}
  next(): Buffer | null {
    if (this.built >= this.frames) return null;
    this.built++;
    return Buffer.alloc(100, 100 + this.built);
  }
}

const message = (seq: number, key: string, conflatable: boolean, bytes = 100): OutboundMessage => {
  const frame = Buffer.alloc(bytes, seq);
  return { seq, conflationKey: key, conflatable, bytes, frame };
};

describe('Outlet', () => {
  const options = { maxMessages: 3, maxBytes: 10_000, highWaterBytes: 250 };

  it('writes at once while the socket keeps up', () => {
    const sink = new FakeSink();
    const outlet = new Outlet(sink, options);
    outlet.send(message(1, 'A', true));
    outlet.send(message(2, 'A', true));
    expect(sink.written).toEqual([1, 2]);
    expect(outlet.stats()).toEqual({ sent: 2, conflated: 0, queued: 0, queuedBytes: 0 });
  });

  it('queues (conflating LIVE) above the high-water mark, and writes the rest in order when the socket drains', () => {
    const sink = new FakeSink();
    const outlet = new Outlet(sink, options);
    for (const seq of [1, 2, 3]) outlet.send(message(seq, 'A', true));
    expect(sink.written).toEqual([1, 2, 3]);
    outlet.send(message(4, 'A', true));
    outlet.send(message(5, 'B', false));
    outlet.send(message(6, 'A', true));
    expect(outlet.stats()).toMatchObject({ queued: 2, conflated: 1 });
    expect(sink.drainRequests).toBe(1);
    sink.pending = 150;
    outlet.drain();
    expect(sink.written).toEqual([1, 2, 3, 5]);
    expect(sink.drainRequests).toBe(2);
    sink.pending = 0;
    outlet.drain();
    expect(sink.written).toEqual([1, 2, 3, 5, 6]);
    expect(sink.drainRequests).toBe(2);
  });

  it('disconnects with the reason when the queue overflows, and sends nothing more', () => {
    const sink = new FakeSink();
    const closed: string[] = [];
    const outlet = new Outlet(sink, options, (reason) => closed.push(reason));
    sink.pending = 1_000;
    for (const seq of [1, 2, 3]) expect(outlet.send(message(seq, `K${seq}`, false))).toBe(true);
    expect(outlet.send(message(4, 'K4', false))).toBe(false);
    expect(sink.closedWith).toBe('slow consumer: more than 3 messages waiting');
    expect(closed).toEqual([sink.closedWith]);
    expect(outlet.closed).toBe(true);
    sink.pending = 0;
    outlet.drain();
    expect(outlet.send(message(5, 'K5', false))).toBe(false);
    expect(sink.written).toEqual([]);
  });

  it('holds the frames of a write batch and writes them in one call per client when it closes', () => {
    const batch = new WriteBatch();
    const delivered = { written: 0 };
    const [one, two] = [new FakeSink(), new FakeSink()];
    const a = new Outlet(one, options, undefined, { batch, delivered });
    const b = new Outlet(two, options, undefined, { batch, delivered });
    batch.run(() => {
      a.send(message(1, 'A', true));
      a.send(message(2, 'B', false));
      b.send(message(3, 'A', true));
      expect([one.written, two.written]).toEqual([[], []]);
    });
    expect([one.written, one.calls]).toEqual([[1, 2], [2]]);
    expect([two.written, two.calls]).toEqual([[3], [1]]);
    expect(delivered.written).toBe(3);
    // Outside a batch, each message is written at once.
    a.send(message(4, 'A', true));
    expect(one.calls).toEqual([2, 1]);
  });

  it('writes lower lanes first when the batch closes', () => {
    const batch = new WriteBatch();
    const order: string[] = [];
    const sink = (name: string): FakeSink => {
      const fake = new FakeSink();
      fake.write = () => void order.push(name);
      fake.writeMany = () => void order.push(name);
      return fake;
    };
    const web = new Outlet(sink('web'), options, undefined, { batch, lane: 1 });
    const cis = new Outlet(sink('cis'), options, undefined, { batch, lane: 0 });
    batch.run(() => {
      web.send(message(1, 'A', true));
      cis.send(message(1, 'A', true));
    });
    expect(order).toEqual(['cis', 'web']);
  });

  it('gives a client with room at the start of a round the whole round, however large, in one write', () => {
    const batch = new WriteBatch();
    const sink = new FakeSink();
    const closed: string[] = [];
    const outlet = new Outlet(sink, options, (reason) => closed.push(reason), { batch });
    // Ten OFFICIAL updates (1,000 bytes) in one round: past the 250-byte mark and the 3-message queue, yet the client
    // has had no chance to read any of them: it is not a slow consumer.
    batch.run(() => {
      for (let seq = 1; seq <= 10; seq++) expect(outlet.send(message(seq, `K${seq}`, false))).toBe(true);
    });
    expect([sink.written, sink.calls, closed]).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [10], []]);
  });

  it('queues (and conflates) a round for a client whose socket is over the high-water mark when the round begins', () => {
    const batch = new WriteBatch();
    const sink = new FakeSink();
    const closed: string[] = [];
    const outlet = new Outlet(sink, options, (reason) => closed.push(reason), { batch });
    sink.pending = 300;
    batch.run(() => {
      for (const seq of [1, 2, 3]) outlet.send(message(seq, 'A', true));
    });
    expect(sink.written).toEqual([]);
    expect(outlet.stats()).toMatchObject({ queued: 1, conflated: 2 });
    // Still unread at the next round: OFFICIAL updates past the queue's 3 messages disconnect it.
    batch.run(() => {
      for (const seq of [4, 5, 6]) outlet.send(message(seq, `K${seq}`, false));
    });
    expect(closed).toEqual(['slow consumer: more than 3 messages waiting']);
    sink.pending = 0;
    outlet.drain();
    expect(sink.written).toEqual([]);
  });

  it('drops what it held when the client is closed during the batch', () => {
    const batch = new WriteBatch();
    const sink = new FakeSink();
    const outlet = new Outlet(sink, options, undefined, { batch });
    batch.run(() => {
      outlet.send(message(1, 'A', true));
      outlet.close('bye');
    });
    expect(sink.written).toEqual([]);
    expect(sink.closedWith).toBe('bye');
  });

  it('builds and writes a frame source only while the socket has room; what is sent meanwhile follows it', () => {
    const sink = new FakeSink();
    const delivered = { written: 0 };
    const outlet = new Outlet(sink, options, undefined, { delivered });
    const source = new CountingSource(6);
    let done = 0;
    outlet.stream(source, () => done++);
    // 250-byte mark: three 100-byte frames, then it waits (nothing more is built).
    expect([sink.written, source.built, outlet.streaming, sink.drainRequests]).toEqual([[101, 102, 103], 3, true, 1]);
    outlet.send(message(1, 'A', true));
    outlet.send(message(2, 'A', true));
    expect(outlet.stats()).toMatchObject({ queued: 1, conflated: 1 });
    sink.pending = 0;
    outlet.drain();
    expect(sink.written).toEqual([101, 102, 103, 104, 105, 106]);
    expect(done).toBe(0);
    sink.pending = 0;
    outlet.drain();
    // The source ended, then the queue's turn: LIVE update 2 (which replaced 1).
    expect(sink.written).toEqual([101, 102, 103, 104, 105, 106, 2]);
    expect([done, outlet.streaming, outlet.idle, delivered.written]).toEqual([1, false, true, 7]);
  });

  it('starts a frame source only when nothing waits, and stops building it when the client is disconnected', () => {
    const sink = new FakeSink();
    const outlet = new Outlet(sink, options);
    sink.pending = 1_000;
    outlet.send(message(1, 'A', false));
    expect(() => outlet.stream(new CountingSource(1))).toThrow(/messages are waiting/);
    sink.pending = 0;
    outlet.drain();
    sink.pending = 0;
    const source = new CountingSource(1_000);
    outlet.stream(source);
    outlet.close('bye');
    sink.pending = 0;
    outlet.drain();
    expect(source.built).toBe(3);
  });

  it('counts its queued bytes in the instance budget, and over it the largest client is cut at once', () => {
    const budget = new QueuedBytesBudget(2_500);
    const [slowSink, otherSink] = [new FakeSink(), new FakeSink()];
    const slow = new Outlet(slowSink, options, undefined, { budget });
    const other = new Outlet(otherSink, options, undefined, { budget });
    slowSink.pending = otherSink.pending = 1_000;
    slow.send(message(1, 'K1', false));
    other.send(message(1, 'K1', false));
    expect(budget.queued).toBe(200);
    // Queues 200 + sockets 2,000.
    expect(budget.enforce()).toBe(2_200);
    // 400 more queued: 2,600 > 2,500. The largest (1,500) goes; 1,100 remain, under 90 % of the budget.
    expect(slow.send(message(2, 'K2', false, 400))).toBe(false);
    expect([slowSink.closedWith, slowSink.closedAtOnce]).toEqual([expect.stringMatching(/^slow consumer: 1500 bytes queued/), true]);
    expect(otherSink.closedWith).toBeNull();
    expect(budget.queued).toBe(100);
    // Cut at once: its socket goes with it, it no longer counts.
    expect([budget.size, budget.measure()]).toEqual([1, 1_100]);
    expect(slow.send(message(3, 'K3', false))).toBe(false);
    // Connections that are gone no longer count.
    slow.detach();
    other.detach();
    expect([budget.size, budget.queued]).toEqual([0, 0]);
  });

  it('gives the queue bytes back to the budget as they are written', () => {
    const budget = new QueuedBytesBudget(1_000_000);
    const sink = new FakeSink();
    const outlet = new Outlet(sink, options, undefined, { budget });
    sink.pending = 1_000;
    outlet.send(message(1, 'A', false));
    outlet.send(message(2, 'B', false));
    expect(budget.queued).toBe(200);
    sink.pending = 200;
    outlet.drain();
    expect(budget.queued).toBe(100);
    outlet.detach();
    expect(budget.queued).toBe(0);
  });
});
