import { ConflatingQueue, type QueueItem, type QueueLimits } from './conflating-queue';
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
  /** Ends the connection, telling the client why when the protocol allows it. */
  close(reason: string): void;
}

export interface OutletOptions extends QueueLimits {
  /** Buffered bytes above which messages wait in the conflating queue instead of the socket. */
  readonly highWaterBytes: number;
}

/** Frames handed to the sockets of one channel (a counter shared by its outlets, read by the metrics). */
export interface DeliveryCounter {
  written: number;
}

/** What the outlets of one channel share: the fan-out's write batch (and their lane in it), the delivery counter. */
export interface OutletContext {
  readonly batch?: WriteBatch;
  /** Lane in the write batch: lower lanes are written first in a round (see WriteBatch). */
  readonly lane?: number;
  readonly delivered?: DeliveryCounter;
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
 * `highWaterBytes` + `maxBytes`.
 *
 * While the fan-out's {@link WriteBatch} is open, frames are held and written together when it closes (one system call
 * per client and round); they count as buffered meanwhile.
 */
export class Outlet implements BatchMember {
  private readonly queue: ConflatingQueue<OutboundMessage>;
  private closedReason: string | null = null;
  private sentCount = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    private readonly sink: Sink,
    private readonly options: OutletOptions,
    private readonly onClosed: (reason: string) => void = () => undefined,
    private readonly context: OutletContext = {},
  ) {
    this.queue = new ConflatingQueue(options);
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  stats(): OutletStats {
    return { sent: this.sentCount, conflated: this.queue.conflated, queued: this.queue.size, queuedBytes: this.queue.bytes };
  }

  /** Sends or queues a message; false when the client is (now) disconnected. */
  send(message: OutboundMessage): boolean {
    if (this.closedReason !== null) return false;
    if (this.queue.size === 0 && this.buffered() < this.options.highWaterBytes) {
      this.write(message);
      return true;
    }
    const outcome = this.queue.push(message);
    if (!outcome.ok) {
      this.close(`slow consumer: ${outcome.reason}`);
      return false;
    }
    if (this.queue.size === 1) this.sink.requestDrain();
    return true;
  }

  /** Messages waiting for the socket. */
  get waiting(): number {
    return this.queue.size;
  }

  /** The socket wrote some of its buffer: move queued messages to it while it keeps up (asks again if some remain). */
  drain(): void {
    while (this.closedReason === null && this.queue.size > 0 && this.buffered() < this.options.highWaterBytes) {
      const next = this.queue.shift();
      if (!next) break;
      this.write(next);
    }
    if (this.closedReason === null && this.queue.size > 0) this.sink.requestDrain();
  }

  /** Disconnects the client (idempotent). */
  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.queue.clear();
    this.dropHeld();
    this.sink.close(reason);
    this.onClosed(reason);
  }

  /** The connection ended from the other side: drop what is queued. */
  detach(): void {
    if (this.closedReason === null) this.closedReason = 'connection closed';
    this.queue.clear();
    this.dropHeld();
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

  private dropHeld(): void {
    if (this.held.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
  }

  private write(message: OutboundMessage): void {
    this.sentCount++;
    const { batch, delivered } = this.context;
    if (delivered) delivered.written++;
    if (batch?.open) {
      if (this.held.length === 0) batch.join(this, this.context.lane);
      this.held.push(message.frame);
      this.heldBytes += message.frame.length;
      return;
    }
    this.sink.write(message.frame);
  }
}
