import { Injectable } from '@nestjs/common';
import { type DocumentEntry, isConflatable } from '../state/document';
import { candidateIndexKeys, type DocumentFilter, indexKeyOf, matchesFilter } from '../state/filter';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView, StateListener } from '../state/results-state';

/** A connected client (CIS WebSocket or SSE stream), as the hub sees it. */
export interface HubClient {
  readonly id: number;
  /** Written by the hub while it dispatches (so that a client with two matching subscriptions gets one copy). */
  hubStamp: number;
  onDocument(entry: DocumentEntry): void;
  onCurrent(entry: DocumentEntry): void;
  onMedals(table: MedalTableView): void;
  onScheduleUnit(unit: ScheduleUnitView): void;
}

/** One document subscription of a client. */
export interface Subscription {
  readonly id: string;
  readonly client: HubClient;
  readonly filter: DocumentFilter;
  readonly indexKey: string;
  /** RESULTS sequence the client's snapshot (or resume) reached: updates up to it are not sent again. */
  readonly fromSeq: number;
}

interface PendingDispatch {
  readonly key: string | null;
  live: boolean;
  readonly run: () => void;
}

/**
 * Fans the state's announcements out to the clients that asked for them. Subscriptions are indexed by their most
 * selective field (unit/phase/event RSC, then discipline, then DocumentType), so dispatching a document looks only
 * at the buckets it can match. Writing to each client is the client's business (its Outlet never blocks).
 *
 * Announcements are fanned out right after the batch of stream messages being handled (setImmediate): when the
 * service keeps up, that is one message; when it is behind (a burst, or more LIVE traffic than it can fan out), a
 * LIVE update superseded by a newer one of the same document in the same batch is not fanned out at all (the state
 * and the replay buffer still have it). OFFICIAL updates are always fanned out, in stream order. So under overload
 * the service conflates instead of falling further behind.
 */
@Injectable()
export class DistributionHub implements StateListener {
  private readonly index = new Map<string, Set<Subscription>>();
  private readonly byClient = new Map<HubClient, Set<Subscription>>();
  private readonly medalClients = new Set<HubClient>();
  private readonly scheduleClients = new Set<HubClient>();
  private stamp = 0;
  private pending: PendingDispatch[] = [];
  private readonly pendingByKey = new Map<string, PendingDispatch>();
  private flushScheduled = false;
  private conflatedCount = 0;

  /** Announcements skipped because a newer one of the same document came in the same batch. */
  get conflated(): number {
    return this.conflatedCount;
  }

  /** Connected clients with at least one subscription (documents, medals or schedule). */
  get clientCount(): number {
    return new Set([...this.byClient.keys(), ...this.medalClients, ...this.scheduleClients]).size;
  }

  /** Subscribes from `fromSeq` (the sequence of the snapshot or resume the client just got). */
  subscribe(client: HubClient, id: string, filter: DocumentFilter, fromSeq = 0): Subscription {
    const subscription: Subscription = { id, client, filter, indexKey: indexKeyOf(filter), fromSeq };
    let bucket = this.index.get(subscription.indexKey);
    if (!bucket) {
      bucket = new Set();
      this.index.set(subscription.indexKey, bucket);
    }
    bucket.add(subscription);
    let own = this.byClient.get(client);
    if (!own) {
      own = new Set();
      this.byClient.set(client, own);
    }
    own.add(subscription);
    return subscription;
  }

  unsubscribe(subscription: Subscription): void {
    const bucket = this.index.get(subscription.indexKey);
    bucket?.delete(subscription);
    if (bucket?.size === 0) this.index.delete(subscription.indexKey);
    const own = this.byClient.get(subscription.client);
    own?.delete(subscription);
    if (own?.size === 0) this.byClient.delete(subscription.client);
  }

  subscriptionsOf(client: HubClient): Subscription[] {
    return [...(this.byClient.get(client) ?? [])];
  }

  watchMedals(client: HubClient): void {
    this.medalClients.add(client);
  }

  watchSchedule(client: HubClient): void {
    this.scheduleClients.add(client);
  }

  /** Forgets a client entirely (it disconnected). */
  remove(client: HubClient): void {
    for (const subscription of this.subscriptionsOf(client)) this.unsubscribe(subscription);
    this.medalClients.delete(client);
    this.scheduleClients.delete(client);
  }

  /** The clients a document goes to (each once). */
  recipients(entry: DocumentEntry): HubClient[] {
    const stamp = ++this.stamp;
    const out: HubClient[] = [];
    for (const key of candidateIndexKeys(entry)) {
      const bucket = this.index.get(key);
      if (!bucket) continue;
      for (const subscription of bucket) {
        const client = subscription.client;
        if (client.hubStamp === stamp || !matchesFilter(subscription.filter, entry)) continue;
        if (entry.stream === 'RESULTS' && entry.seq <= subscription.fromSeq) continue;
        client.hubStamp = stamp;
        out.push(client);
      }
    }
    return out;
  }

  document(entry: DocumentEntry): void {
    this.enqueue(isConflatable(entry.data) ? entry.key : null, () => {
      for (const client of this.recipients(entry)) client.onDocument(entry);
    });
  }

  current(entry: DocumentEntry): void {
    this.enqueue(entry.key, () => {
      for (const client of this.recipients(entry)) client.onCurrent(entry);
    });
  }

  medals(table: MedalTableView): void {
    this.enqueue('medals', () => {
      for (const client of this.medalClients) client.onMedals(table);
    });
  }

  scheduleUnit(unit: ScheduleUnitView): void {
    this.enqueue(`unit:${unit.rsc}`, () => {
      for (const client of this.scheduleClients) client.onScheduleUnit(unit);
    });
  }

  /** Fans out everything announced so far (normally on the next turn of the event loop). */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    this.pendingByKey.clear();
    for (const item of batch) if (item.live) item.run();
  }

  /** `key` null: never superseded (OFFICIAL); otherwise a newer announcement with the same key replaces it. */
  private enqueue(key: string | null, run: () => void): void {
    if (key !== null) {
      const previous = this.pendingByKey.get(key);
      if (previous) {
        previous.live = false;
        this.conflatedCount++;
      }
    }
    const item: PendingDispatch = { key, live: true, run };
    this.pending.push(item);
    if (key !== null) this.pendingByKey.set(key, item);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }
}
