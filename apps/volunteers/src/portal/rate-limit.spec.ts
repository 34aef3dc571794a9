import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows `capacity` at once per key, then refuses with the wait until a token is back', () => {
    const limiter = new RateLimiter({ capacity: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 0)).toEqual({ allowed: true });
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(limiter.take('b', 0)).toEqual({ allowed: true });
    // One token per 20 s comes back.
    expect(limiter.take('a', 19_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('a', 20_000)).toEqual({ allowed: true });
    expect(limiter.take('a', 20_001).allowed).toBe(false);
    // A full window later the bucket is full again, never more.
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 1_000_000).allowed).toBe(true);
    expect(limiter.take('a', 1_000_000).allowed).toBe(false);
  });

  it('keeps at most maxKeys buckets, the least recently used dropped first', () => {
    const limiter = new RateLimiter({ capacity: 1, windowMs: 60_000, maxKeys: 2 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('b', 0).allowed).toBe(true);
    expect(limiter.take('a', 1).allowed).toBe(false); // a is now the most recent
    expect(limiter.take('c', 2).allowed).toBe(true); // drops b
    expect(limiter.size).toBe(2);
    expect(limiter.take('a', 3).allowed).toBe(false);
    expect(limiter.take('b', 4).allowed).toBe(true); // b started again
  });

  it('is off with capacity 0', () => {
    const limiter = new RateLimiter({ capacity: 0, windowMs: 60_000 });
    for (let i = 0; i < 100; i++) expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });
});
