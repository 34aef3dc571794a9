import type { EntryState } from '@podium/contracts';

/** Names in dictionary order (accents next to their base letter), the same on every replica (same Node/ICU). */
const NAMES = new Intl.Collator('en');

/** What applying an entry did: a lower version than the one held is stale, the same version a duplicate. */
export type EntryOutcome = 'applied' | 'stale' | 'duplicate';

/**
 * The latest version of every entry (OMS entries, ENTRIES stream) by entry id, indexed by event RSC: the start lists
 * of the events. Withdrawn entries are kept (so that an older version can never bring them back) but are not part of
 * an event's list.
 */
export class EntryStore {
  private readonly entries = new Map<string, { entry: EntryState; seq: number }>();
  private readonly byEvent = new Map<string, Set<string>>();
  /** Per event, the value of `clock` when its list last changed; events without one were last changed by a clear. */
  private readonly revisions = new Map<string, number>();
  private clock = 0;
  private clearedAt = 0;

  get size(): number {
    return this.entries.size;
  }

  get(id: string): { entry: EntryState; seq: number } | undefined {
    return this.entries.get(id);
  }

  /** Keeps `entry` unless the held one has the same or a higher version. */
  apply(entry: EntryState, seq: number): EntryOutcome {
    const held = this.entries.get(entry.id);
    if (held && entry.version < held.entry.version) return 'stale';
    if (held && entry.version === held.entry.version) return 'duplicate';
    this.set(entry, seq);
    return 'applied';
  }

  /** Sets an entry as is (restoring a checkpoint). */
  set(entry: EntryState, seq: number): void {
    const held = this.entries.get(entry.id);
    // An entry's event does not change in practice; if it did, it leaves the old event's list.
    if (held && held.entry.event !== entry.event) {
      this.byEvent.get(held.entry.event)?.delete(entry.id);
      this.revisions.set(held.entry.event, ++this.clock);
    }
    this.entries.set(entry.id, { entry, seq });
    let ids = this.byEvent.get(entry.event);
    if (!ids) {
      ids = new Set();
      this.byEvent.set(entry.event, ids);
    }
    ids.add(entry.id);
    this.revisions.set(entry.event, ++this.clock);
  }

  clear(): void {
    this.entries.clear();
    this.byEvent.clear();
    this.revisions.clear();
    this.clearedAt = ++this.clock;
  }

  /**
   * Changes whenever {@link forEvent} of this event may have changed, and only then (never twice the same value for
   * different lists, also across a clear): the served list is built once per revision.
   */
  revision(eventRsc: string): number {
    return this.revisions.get(eventRsc) ?? this.clearedAt;
  }

  /**
   * The current (ENTERED) entries of an event, by NOC, then name (family then given name of the first starter,
   * else of the first member), then entry id: the same order on every replica, so the same bytes and ETag.
   */
  forEvent(eventRsc: string): EntryState[] {
    const out: EntryState[] = [];
    for (const id of this.byEvent.get(eventRsc) ?? []) {
      const held = this.entries.get(id);
      if (held && held.entry.status === 'ENTERED') out.push(held.entry);
    }
    return out.sort(
      (a, b) =>
        compare(a.noc, b.noc) ||
        NAMES.compare(nameOf(a).family, nameOf(b).family) ||
        NAMES.compare(nameOf(a).given, nameOf(b).given) ||
        compare(a.id, b.id),
    );
  }
}

/** The name an entry is sorted by: its first starter's (or first member's) family name, then given name. */
function nameOf(entry: EntryState): { family: string; given: string } {
  const member = entry.members.find((m) => m.role === 'STARTER') ?? entry.members[0];
  return { family: member?.familyName ?? '', given: member?.givenName ?? '' };
}

/** Code-point order (codes and ids). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
