import { type DocumentEntry, isConflatable } from './document';

export interface ReplayLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

/** What a client resuming after `after` gets from the buffer. */
export type ReplayResult =
  | { readonly ok: true; readonly entries: readonly DocumentEntry[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The most recent RESULTS updates, in stream order, bounded by count and bytes (oldest evicted first). Lets CIS and
 * SSE clients resume from their last sequence and partners page through GET /v1/feed without a round trip to NATS.
 *
 * Covers the range (`floor`, `last`]: every update with a sequence in it is here. Sequences may have gaps
 * (messages the stream holds that this service does not distribute, e.g. invalid ones), which is fine: the buffer
 * knows that nothing between two held sequences was distributed. LIVE versions conflated while the service was behind
 * (never applied: a newer version of the document came in the same backlog) are gaps too, but they are versions a
 * complete reader (the partner feed) must get: they are remembered as holes, and a complete read across one is refused.
 */
export class ReplayBuffer {
  private items: DocumentEntry[] = [];
  private head = 0;
  private byteCount = 0;
  /** Every distributed update with seq > floor is held. */
  private floorSeq: number;
  private lastSeq: number;
  /** Sequences of conflated LIVE versions in (floor, last], increasing. */
  private holes: number[] = [];

  constructor(
    private readonly limits: ReplayLimits,
    startSeq = 0,
  ) {
    this.floorSeq = startSeq;
    this.lastSeq = startSeq;
  }

  /** Sequence below which (inclusive) the buffer cannot answer. */
  get floor(): number {
    return this.floorSeq;
  }

  /** Highest sequence seen. */
  get last(): number {
    return this.lastSeq;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** Restarts the buffer at `seq` (after a restore: what came before is not held). */
  reset(seq: number): void {
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
    this.floorSeq = seq;
    this.lastSeq = seq;
    this.holes = [];
  }

  /** Appends an update; sequences must increase. Records a sequence seen without an update with {@link advance}. */
  push(entry: DocumentEntry): void {
    if (entry.seq <= this.lastSeq) {
      throw new RangeError(`replay buffer: sequence ${entry.seq} is not after ${this.lastSeq}`);
    }
    this.items.push(entry);
    this.byteCount += entry.bytes;
    this.lastSeq = entry.seq;
    this.evict();
  }

  /** Notes that the stream reached `seq` without anything to distribute (invalid, stale or duplicate message). */
  advance(seq: number): void {
    if (seq > this.lastSeq) this.lastSeq = seq;
  }

  /** Notes a LIVE version conflated without being applied (see the class comment): a hole for complete readers. */
  conflated(seq: number): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    this.holes.push(seq);
  }

  /** Conflated versions still in the buffer's range. */
  get holeCount(): number {
    return this.holes.length;
  }

  /**
   * What a CIS or SSE client resuming after `after` is sent: the updates since, conflated as the live fan-out
   * conflates for a client that is behind (a LIVE version that a later version of the same document in the range
   * supersedes is left out, as are the holes), OFFICIAL versions never. A client coming back after its replica went
   * away thus gets every OFFICIAL version and the latest of each document, and the thousands of clients of a lost
   * replica cost the one taking them over a few updates each rather than everything they missed.
   */
  resume(after: number): ReplayResult {
    const range = this.since(after);
    return range.ok ? { ok: true, entries: withoutSuperseded(range.entries) } : range;
  }

  /**
   * Updates with seq > `after`, in order (at most `limit`), or why the buffer cannot tell. `complete` (the partner
   * feed): every message of the stream that was distributed or superseded, so a range with a conflated version in it
   * is refused (read the stream instead); otherwise the range with its holes.
   */
  since(after: number, limit = Number.POSITIVE_INFINITY, complete = false): ReplayResult {
    if (after > this.lastSeq) {
      return { ok: false, reason: `sequence ${after} is ahead of this server (last ${this.lastSeq})` };
    }
    if (after < this.floorSeq) {
      return {
        ok: false,
        reason: `sequence ${after} is no longer buffered (updates after ${this.floorSeq} are)`,
      };
    }
    const start = this.lowerBound(after + 1);
    const end = Math.min(this.items.length, start + limit);
    const entries = this.items.slice(start, end);
    if (complete && this.holes.length > 0) {
      // The page covers (after, its last entry] when full, else (after, last]: any hole in there makes it incomplete.
      const upTo = end - start === limit ? (entries.at(-1)?.seq ?? after) : this.lastSeq;
      const hole = this.holes.find((seq) => seq > after && seq <= upTo);
      if (hole !== undefined) {
        return { ok: false, reason: `version at sequence ${hole} was conflated while this server was behind` };
      }
    }
    return { ok: true, entries };
  }

  private lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid]?.seq ?? Number.POSITIVE_INFINITY) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private evict(): void {
    while (this.size > 0 && (this.size > this.limits.maxMessages || this.byteCount > this.limits.maxBytes)) {
      const oldest = this.items[this.head];
      if (!oldest) break;
      this.head++;
      this.byteCount -= oldest.bytes;
      this.floorSeq = oldest.seq;
    }
    if (this.holes.length > 0 && (this.holes[0] ?? 0) <= this.floorSeq) this.holes = this.holes.filter((seq) => seq > this.floorSeq);
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** `entries` (in stream order) without the LIVE versions a later entry of the same document supersedes. */
export function withoutSuperseded(entries: readonly DocumentEntry[]): readonly DocumentEntry[] {
  const later = new Set<string>();
  let dropped = 0;
  const keep = new Array<boolean>(entries.length);
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as DocumentEntry;
    const superseded = later.has(entry.key) && isConflatable(entry.data);
    keep[i] = !superseded;
    if (superseded) dropped++;
    later.add(entry.key);
  }
  return dropped === 0 ? entries : entries.filter((_, i) => keep[i]);
}
