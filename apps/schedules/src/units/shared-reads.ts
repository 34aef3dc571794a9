/**
 * Shares reads of a key among concurrent callers without ever answering a caller with a read that began before its
 * call: the first caller starts a read; callers that come while it is in flight share the next read, started as soon
 * as it ends. Every caller so gets a value read after its call began (what a read of its own would have seen, or
 * newer), and under load one read serves a whole burst of callers instead of one each.
 *
 * A key is forgotten once its reads are done (keys may come from requests: nothing accumulates).
 */
export class SharedReads<K, T> {
  private readonly reads = new Map<K, { current: Promise<T>; next?: Promise<T> }>();

  constructor(private readonly read: (key: K) => Promise<T>) {}

  get(key: K): Promise<T> {
    const state = this.reads.get(key);
    if (!state) return this.start(key);
    const again = () => this.start(key);
    return (state.next ??= state.current.then(again, again));
  }

  /** Keys with a read in flight (for tests). */
  get size(): number {
    return this.reads.size;
  }

  private start(key: K): Promise<T> {
    const current = this.read(key);
    this.reads.set(key, { current });
    const done = () => {
      const state = this.reads.get(key);
      // Runs before the queued callers start the next read (registered first): keep the key for them.
      if (state?.current === current && state.next === undefined) this.reads.delete(key);
    };
    current.then(done, done);
    return current;
  }
}
