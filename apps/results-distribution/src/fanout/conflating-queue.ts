/** Something queued for one client. */
export interface QueueItem {
  /** Stream sequence (monotonic per queue); 0 for items outside the sequence (medal table, schedule). */
  readonly seq: number;
  /** Items with the same non-null key supersede each other (the document key, 'medals', 'unit:<rsc>'). */
  readonly conflationKey: string | null;
  /** False for OFFICIAL results and everything else that must reach the client: never dropped, never replaced. */
  readonly conflatable: boolean;
  /** Size on the wire, for the byte bound. */
  readonly bytes: number;
}

export interface QueueLimits {
  /** Most items queued at once. */
  readonly maxMessages: number;
  /** Most bytes queued at once. */
  readonly maxBytes: number;
}

export type PushOutcome =
  | { readonly ok: true; readonly replaced: boolean }
  | { readonly ok: false; readonly reason: string };

interface Slot<T> {
  item: T;
  live: boolean;
}

/**
 * A bounded FIFO queue for one slow client. A conflatable item whose key already has a conflatable item waiting
 * removes that older item and is appended at the end, so the queue keeps only the latest state of each LIVE document
 * while sequences stay increasing (a client that resumes from the last sequence it saw misses nothing it was owed).
 * Non-conflatable items (OFFICIAL) are never dropped: when the queue would exceed its bounds, `push` fails and
 * the caller disconnects the client with the reason.
 */
export class ConflatingQueue<T extends QueueItem> {
  private slots: Slot<T>[] = [];
  private head = 0;
  private readonly pending = new Map<string, Slot<T>>();
  private count = 0;
  private byteCount = 0;
  private dropped = 0;

  constructor(private readonly limits: QueueLimits) {}

  /** Items waiting. */
  get size(): number {
    return this.count;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Items removed by conflation since creation. */
  get conflated(): number {
    return this.dropped;
  }

  push(item: T): PushOutcome {
    let replaced = false;
    const key = item.conflatable ? item.conflationKey : null;
    const previous = key === null ? undefined : this.pending.get(key);
    const freedBytes = previous ? previous.item.bytes : 0;
    const freedCount = previous ? 1 : 0;
    if (this.count - freedCount + 1 > this.limits.maxMessages) {
      return { ok: false, reason: `more than ${this.limits.maxMessages} messages waiting` };
    }
    if (this.byteCount - freedBytes + item.bytes > this.limits.maxBytes) {
      return { ok: false, reason: `more than ${this.limits.maxBytes} bytes waiting` };
    }
    if (previous) {
      previous.live = false;
      this.count--;
      this.byteCount -= previous.item.bytes;
      this.dropped++;
      replaced = true;
    }
    const slot: Slot<T> = { item, live: true };
    this.slots.push(slot);
    if (key !== null) this.pending.set(key, slot);
    this.count++;
    this.byteCount += item.bytes;
    return { ok: true, replaced };
  }

  /** The oldest waiting item, without removing it. */
  peek(): T | undefined {
    this.skipDead();
    return this.slots[this.head]?.item;
  }

  /** Removes and returns the oldest waiting item. */
  shift(): T | undefined {
    this.skipDead();
    const slot = this.slots[this.head];
    if (!slot) return undefined;
    this.head++;
    slot.live = false;
    this.count--;
    this.byteCount -= slot.item.bytes;
    const key = slot.item.conflatable ? slot.item.conflationKey : null;
    if (key !== null && this.pending.get(key) === slot) this.pending.delete(key);
    this.compact();
    return slot.item;
  }

  /** Drops everything (the client is gone). */
  clear(): void {
    this.slots = [];
    this.head = 0;
    this.pending.clear();
    this.count = 0;
    this.byteCount = 0;
  }

  private skipDead(): void {
    while (this.head < this.slots.length && !this.slots[this.head]?.live) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head === this.slots.length) {
      this.slots = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }
}
