/**
 * A bounded in-process map of what this replica last read or wrote (documents' stored state, RSCs the schedule knows).
 * Only ever a guess: every write made from it checks in the same statement that the guess still holds, so a stale or
 * missing entry costs a round trip, never correctness. The oldest entries (by last write) go beyond `maxEntries`.
 */
export class StateCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
