/**
 * A per-key token bucket (the key is a client address): `capacity` requests at once, refilled at `capacity` per
 * `windowMs`. Memory is bounded: at most `maxKeys` buckets, the least recently used dropped first (a dropped bucket
 * starts full again, so the bound only ever errs towards letting a request through). Pure but for the clock passed in.
 */
export interface RateLimitOptions {
  /** Requests a key may make at once, and per window; 0 turns the limit off. */
  capacity: number;
  windowMs: number;
  /** Buckets kept (default 100,000: a few MB). */
  maxKeys?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimitOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one token of `key`'s bucket at `now` (ms), or says how long until one is back. */
  take(key: string, now: number): RateDecision {
    const { capacity, windowMs } = this.options;
    if (capacity <= 0) return { allowed: true };
    const perMs = capacity / windowMs;
    const bucket = this.buckets.get(key);
    let tokens = capacity;
    if (bucket) {
      tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
    } else if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }
}
