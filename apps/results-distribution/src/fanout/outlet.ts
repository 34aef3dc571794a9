import { ConflatingQueue, type QueueItem, type QueueLimits } from './conflating-queue';

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
 */
export class Outlet {
  private readonly queue: ConflatingQueue<OutboundMessage>;
  private closedReason: string | null = null;
  private sentCount = 0;

  constructor(
    private readonly sink: Sink,
    private readonly options: OutletOptions,
    private readonly onClosed: (reason: string) => void = () => undefined,
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
    if (this.queue.size === 0 && this.sink.buffered() < this.options.highWaterBytes) {
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
    while (this.closedReason === null && this.queue.size > 0 && this.sink.buffered() < this.options.highWaterBytes) {
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
    this.sink.close(reason);
    this.onClosed(reason);
  }

  /** The connection ended from the other side: drop what is queued. */
  detach(): void {
    if (this.closedReason === null) this.closedReason = 'connection closed';
    this.queue.clear();
  }

  private write(message: OutboundMessage): void {
    this.sentCount++;
    this.sink.write(message.frame);
  }
}
