import { type OutboundMessage, Outlet, type Sink } from './outlet';
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
  close(reason: string): void {
    this.closedWith = reason;
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

  it('counts held frames as buffered: past the high-water mark they queue (and conflate) as usual', () => {
    const batch = new WriteBatch();
    const sink = new FakeSink();
    const outlet = new Outlet(sink, options, undefined, { batch });
    batch.run(() => {
      for (const seq of [1, 2, 3, 4, 5]) outlet.send(message(seq, 'A', true));
    });
    // 3 x 100 bytes held reach the 250-byte mark: 4 waits in the queue and 5 replaces it.
    expect(sink.written).toEqual([1, 2, 3]);
    expect(outlet.stats()).toMatchObject({ queued: 1, conflated: 1 });
    sink.pending = 0;
    outlet.drain();
    expect(sink.written).toEqual([1, 2, 3, 5]);
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
});
