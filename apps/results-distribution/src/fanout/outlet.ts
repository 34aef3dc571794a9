import { ConflatingQueue, type QueueItem, type QueueLimits } from './conflating-queue';
import type { BudgetMember, QueuedBytesBudget } from './queued-bytes-budget';
import type { BatchMember, WriteBatch } from './write-batch';

/** A message for one client: its queue facts plus the bytes to write (shared by every client of the channel). */
export interface OutboundMessage extends QueueItem {
  readonly frame: Buffer;
}

/** The connection under an outlet (a WebSocket or an SSE response). */
export interface Sink {
  /** Bytes accepted but not yet handed to the network. */
  buffered(): number;
  /** Writes one frame. */
  write(frame: Buffer): void;
  /** Writes several frames in one go (one system call). */
  writeMany(frames: readonly Buffer[]): void;
  /**
   * Messages are waiting: call {@link Outlet.drain} once the buffer went down (a 'drain' event, or polling for
   * sockets without one). Only slow clients get here, so the fast path costs nothing.
   */
  requestDrain(): void;
  /**
   * Ends the connection, telling the client why when the protocol allows it: after what the socket holds, with a grace
   * period for the client to read it, or at once (`immediate`: what the socket holds is dropped with it).
   */
  close(reason: string, immediate?: boolean): void;
}

export interface OutletOptions extends QueueLimits {
  /** Buffered bytes above which messages wait in the conflating queue instead of the socket. */
  readonly highWaterBytes: number;
}

/** Frames handed to the sockets of one channel (a counter shared by its outlets, read by the metrics). */
export interface DeliveryCounter {
  written: number;
}

/**
 * What the outlets of one channel share: the fan-out's write batch (and their lane in it), the delivery counter, the
 * instance's budget of queued bytes.
 */
export interface OutletContext {
  readonly batch?: WriteBatch;
  /** Lane in the write batch: lower lanes are written first in a round (see WriteBatch). */
  readonly lane?: number;
  readonly delivered?: DeliveryCounter;
  readonly budget?: QueuedBytesBudget;
}

/**
 * Frames produced on demand (a snapshot's parts, a resume's updates): pulled one at a time, only while the socket has
 * room, so that a large catch-up never sits in memory all at once (see {@link Outlet.stream}).
 */
export interface FrameSource {
  /** The next frame, or null when there is none left. */
  next(): Buffer | null;
}

export interface OutletStats {
  readonly sent: number;
  readonly conflated: number;
  readonly queued: number;
  readonly queuedBytes: number;
}

/**
 * Writes messages to one client without letting it hold the others back: while the socket keeps up, each message
 * is written at once; once more than `highWaterBytes` are buffered, messages wait in a {@link ConflatingQueue}
 * (LIVE updates of a document replace each other, OFFICIAL ones are kept) and are written as the socket drains.
 * When even the queue is full, the client is disconnected with the reason. Memory per client is bounded by
 * `highWaterBytes` + `maxBytes` + one fan-out round (whose frames all clients share).
 *
 * While the fan-out's {@link WriteBatch} is open, frames are held and written together when it closes (one system call
 * per client and round). A client whose socket was under the high-water mark at its first frame of the round gets the
 * whole round: the decision to queue (and to disconnect) is taken per round, on what the client left unread.
 */
export class Outlet implements BatchMember, BudgetMember {
  private readonly queue: ConflatingQueue<OutboundMessage>;
  private closedReason: string | null = null;
  private sentCount = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private source: FrameSource | null = null;
  private sourceDone: (() => void) | null = null;

  constructor(
    private readonly sink: Sink,
    private readonly options: OutletOptions,
    private readonly onClosed: (reason: string) => void = () => undefined,
    private readonly context: OutletContext = {},
  ) {
    this.queue = new ConflatingQueue(options);
    context.budget?.add(this);
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Bytes waiting in the queue. */
  get queuedBytes(): number {
    return this.queue.bytes;
  }

  /** Bytes the socket holds in user space. */
  socketBytes(): number {
    return this.sink.buffered();
  }

  /** Nothing waits to be written (no queued message, no frame source): a new catch-up may start. */
  get idle(): boolean {
    return this.queue.size === 0 && this.source === null;
  }

  /** A frame source is being written (see {@link stream}). */
  get streaming(): boolean {
    return this.source !== null;
  }

  /**
   * Writes the frames of `source` before anything sent after this call: they are pulled one at a time while the
   * socket is below the high-water mark, the rest as it drains (messages sent meanwhile wait in the queue, conflating
   * as usual). `done` runs once the last frame is written (not when the client is disconnected first).
   * Only when {@link idle}: a source must not overtake messages already queued.
   */
  stream(source: FrameSource, done: () => void = () => undefined): void {
    if (this.closedReason !== null) return;
    if (!this.idle) throw new Error('Outlet.stream: messages are waiting; start a frame source only when idle');
    this.source = source;
    this.sourceDone = done;
    this.pump();
  }

  stats(): OutletStats {
    return { sent: this.sentCount, conflated: this.queue.conflated, queued: this.queue.size, queuedBytes: this.queue.bytes };
  }

  /** Sends or queues a message; false when the client is (now) disconnected. */
  send(message: OutboundMessage): boolean {
    if (this.closedReason !== null) return false;
    // Frames held in this round (see WriteBatch) mean the socket had room when the round began for this client: the
    // rest of the round joins them. A client is judged on what it did not read, not on the size of a round it has had
    // no chance to read yet (after a stall, one round may hold more updates than the queue's limits).
    const inRound = this.held.length > 0;
    if (this.queue.size === 0 && this.source === null && (inRound || this.buffered() < this.options.highWaterBytes)) {
      this.write(message);
      return true;
    }
    const before = this.queue.bytes;
    const outcome = this.queue.push(message);
    if (!outcome.ok) {
      this.close(`slow consumer: ${outcome.reason}`);
      return false;
    }
    if (this.queue.size === 1) this.sink.requestDrain();
    // Over the instance's budget, the largest clients are disconnected: possibly this one.
    this.context.budget?.queuedChanged(this.queue.bytes - before);
    return this.closedReason === null;
  }

  /** Messages waiting for the socket. */
  get waiting(): number {
    return this.queue.size;
  }

  /**
   * The socket wrote some of its buffer: writes the frame source's next frames, then queued messages, while it keeps
   * up (asks again if some remain).
   */
  drain(): void {
    if (this.source !== null) {
      this.pump();
      if (this.source !== null) return;
    }
    const before = this.queue.bytes;
    while (this.closedReason === null && this.queue.size > 0 && this.buffered() < this.options.highWaterBytes) {
      const next = this.queue.shift();
      if (!next) break;
      this.write(next);
    }
    if (before !== this.queue.bytes) this.context.budget?.queuedChanged(this.queue.bytes - before);
    if (this.closedReason === null && this.queue.size > 0) this.sink.requestDrain();
  }

  /**
   * Disconnects the client (idempotent); `immediate` drops what its socket still holds at once instead of leaving it a
   * grace period to read up to the reason (see Sink.close). Closed at once, it no longer counts against the budget
   * (its socket's buffer is released with the socket); closed with a grace period, it counts until the socket is gone.
   */
  close(reason: string, immediate = false): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.dropQueued();
    this.dropHeld();
    this.sink.close(reason, immediate);
    if (immediate) this.context.budget?.remove(this);
    this.onClosed(reason);
  }

  /** The connection ended (either side): drop what is queued; it no longer counts against the budget. */
  detach(): void {
    if (this.closedReason === null) this.closedReason = 'connection closed';
    this.dropQueued();
    this.dropHeld();
    this.context.budget?.remove(this);
  }

  /** Writes the frames held during the write batch (see {@link WriteBatch}). */
  release(): void {
    const held = this.held;
    this.dropHeld();
    if (this.closedReason !== null || held.length === 0) return;
    if (held.length === 1) this.sink.write(held[0] as Buffer);
    else this.sink.writeMany(held);
  }

  private buffered(): number {
    return this.sink.buffered() + this.heldBytes;
  }

  /** Writes the source's frames while the socket is below the high-water mark; ends it when it has no more. */
  private pump(): void {
    while (this.closedReason === null && this.source !== null && this.buffered() < this.options.highWaterBytes) {
      const frame = this.source.next();
      if (frame === null) {
        const done = this.sourceDone;
        this.source = null;
        this.sourceDone = null;
        // What was sent while the source was written waits in the queue: its turn now.
        if (this.queue.size > 0) this.drain();
        done?.();
        return;
      }
      this.sentCount++;
      if (this.context.delivered) this.context.delivered.written++;
      this.writeFrame(frame);
    }
    if (this.closedReason === null && this.source !== null) this.sink.requestDrain();
  }

  private dropQueued(): void {
    this.source = null;
    this.sourceDone = null;
    if (this.queue.size === 0) return;
    const bytes = this.queue.bytes;
    this.queue.clear();
    this.context.budget?.queuedChanged(-bytes);
  }

  private dropHeld(): void {
    if (this.held.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
  }

  private write(message: OutboundMessage): void {
    this.sentCount++;
    const { delivered } = this.context;
    if (delivered) delivered.written++;
    this.writeFrame(message.frame);
  }

  private writeFrame(frame: Buffer): void {
    const batch = this.context.batch;
    if (batch?.open) {
      if (this.held.length === 0) batch.join(this, this.context.lane);
      this.held.push(frame);
      this.heldBytes += frame.length;
      return;
    }
    this.sink.write(frame);
  }
}
