import { type OutboundMessage, Outlet, type Sink } from './outlet';

class FakeSink implements Sink {
  pending = 0;
  written: number[] = [];
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
});
