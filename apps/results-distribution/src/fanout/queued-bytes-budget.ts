/** What the budget needs of a connection's outlet. */
export interface BudgetMember {
  /** The connection is being closed (its socket may still hold bytes until it is gone). */
  readonly closed: boolean;
  /** Bytes waiting in its queue (already counted in {@link QueuedBytesBudget.queued}). */
  readonly queuedBytes: number;
  /** Bytes its socket holds in user space (written, not yet handed to the kernel). */
  socketBytes(): number;
  /** Disconnects the client as a slow consumer with `reason`; `immediate`: its socket's bytes are released at once. */
  close(reason: string, immediate: boolean): void;
}

/** When the total goes over the limit, clients are disconnected until it is back under this share of it. */
const LOW_WATER = 0.9;

/**
 * CLIENT_QUEUED_BYTES_BUDGET: the bytes queued for all clients of the instance together, i.e. in their outlets'
 * queues and in their sockets' user-space buffers. Each connection is bounded on its own (CLIENT_QUEUE_BYTES,
 * CLIENT_SOCKET_HIGH_WATER), but many slow readers at once would still grow the process past its memory limit: over
 * the budget, the clients with the most bytes queued are disconnected as slow consumers until the total is back under
 * 90 % of it.
 *
 * Cheap where it runs often: the queues' bytes are counted where the outlets count them anyway (push, shift, clear:
 * the slow path; a client that keeps up never queues), and checked against the limit when a queue grows. The sockets'
 * bytes change without telling anyone, so they are summed over the connections by {@link measure}: every
 * `sweepMs` (see startSweeping), at each /metrics scrape, and before disconnecting anyone.
 */
export class QueuedBytesBudget {
  /** Bytes in the outlets' queues, now. */
  queued = 0;
  /** The sockets' bytes at the last {@link measure}. */
  private socketBytes = 0;
  private readonly members = new Set<BudgetMember>();
  private sweeper?: NodeJS.Timeout;
  private shedCount = 0;

  constructor(readonly limit: number) {}

  /** Clients disconnected for the budget so far. */
  get shed(): number {
    return this.shedCount;
  }

  /** Connections currently accounted. */
  get size(): number {
    return this.members.size;
  }

  add(member: BudgetMember): void {
    this.members.add(member);
  }

  /** The connection is gone (its socket too): it no longer counts. */
  remove(member: BudgetMember): void {
    this.members.delete(member);
  }

  /** A queue grew by `bytes` (negative: shrank); over the budget, clients are disconnected (see the class comment). */
  queuedChanged(bytes: number): void {
    this.queued += bytes;
    if (bytes > 0 && this.queued + this.socketBytes > this.limit) this.enforce();
  }

  /** The total now (queues + sockets, summed over the connections). */
  measure(): number {
    let sockets = 0;
    for (const member of this.members) sockets += member.socketBytes();
    this.socketBytes = sockets;
    return this.queued + sockets;
  }

  /**
   * Measures, and when over the limit disconnects the open clients with the most bytes queued until the total
   * (counting the bytes of the connections being closed as freed: their queues are dropped at once, their sockets
   * at once for those disconnected here, within seconds for the others) is under 90 % of the limit. Returns the total
   * measured before. The reason is sent, but a client this far behind is cut before it could read it.
   */
  enforce(): number {
    const total = this.measure();
    if (total <= this.limit) return total;
    const sizes = new Map<BudgetMember, number>();
    let remaining = total;
    for (const member of this.members) {
      const bytes = member.queuedBytes + member.socketBytes();
      if (member.closed) remaining -= bytes;
      else if (bytes > 0) sizes.set(member, bytes);
    }
    const target = this.limit * LOW_WATER;
    const largestFirst = [...sizes].sort((a, b) => b[1] - a[1]);
    for (const [member, bytes] of largestFirst) {
      if (remaining <= target) break;
      remaining -= bytes;
      this.shedCount++;
      member.close(
        `slow consumer: ${bytes} bytes queued, over this instance's budget for all clients (${this.limit})`,
        true,
      );
    }
    return total;
  }

  /** Measures and enforces every `sweepMs` (the sockets' share changes without a call here). */
  startSweeping(sweepMs: number): void {
    this.stopSweeping();
    this.sweeper = setInterval(() => this.enforce(), sweepMs);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Nest: the application is closing. */
  onModuleDestroy(): void {
    this.stopSweeping();
  }
}
