import type { Context, Span } from '@opentelemetry/api';
import { endSpans, sampledContext, startSpanIn } from '@podium/platform';
import { type DocumentEntry, isConflatable } from '../state/document';
import { candidateIndexKeys, type DocumentFilter, indexKeyOf, matchesFilter } from '../state/filter';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView, StateListener } from '../state/results-state';
import type { DeliveryCounter } from './outlet';
import { WriteBatch } from './write-batch';

/** A connected client (CIS WebSocket or SSE stream), as the hub sees it. */
export interface HubClient {
  readonly id: number;
  /** The channel it is a client of (cis, sse): with tracing on, the fan-out's spans are per channel. */
  readonly channel: string;
  /** Written by the hub while it dispatches (so that a client with two matching subscriptions gets one copy). */
  hubStamp: number;
  /** Its channel's lane in the write batch (CIS 0, SSE 1; 0 when absent): which channels a document reached. */
  readonly lane?: number;
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
  /** False for OFFICIAL results: never superseded. */
  readonly conflatable: boolean;
  live: boolean;
  /** Dispatches; returns the lanes (bit i: lane i) of the clients it went to. */
  readonly run: () => number;
  /** The document fanned out, for the lag (null for medal table and schedule announcements). */
  readonly entry: DocumentEntry | null;
}

export interface HubOptions {
  /**
   * Longest an announcement is held back while the streams have a backlog (ms). While results-distribution is behind,
   * it takes in every waiting message (cheap) before fanning out (dear), so a LIVE update superseded meanwhile is
   * never fanned out; this bounds how long the fan-out waits for the backlog to be read.
   */
  readonly maxHoldMs: number;
  /**
   * Called once per fan-out round with the documents it fanned out and when it finished (epoch ms); `lanes[i]` has bit
   * l set when `entries[i]` went to a client of lane l, and `laneAt[l]` is when that lane was written (epoch ms).
   */
  readonly onFannedOut?: (
    entries: readonly DocumentEntry[],
    at: number,
    lanes: readonly number[],
    laneAt: readonly number[],
  ) => void;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = { maxHoldMs: 100 };

type FlushState = 'idle' | 'scheduled' | 'holding';

/**
 * Fans the state's announcements out to the clients that asked for them. Subscriptions are indexed by their most
 * selective field (unit/phase/event RSC, then discipline, then DocumentType), so dispatching a document looks only
 * at the buckets it can match. Writing to each client is the client's business (its Outlet never blocks).
 *
 * Bounded lag under overload: the state applies every stream message at once (cheap) and announces it here;
 * announcements are fanned out (dear: one write per client) in rounds. A round starts on the next turn of the event
 * loop, unless this instance is behind on a stream (messages waiting on the server or in its socket, see
 * {@link setBacklog}): then the round waits until the backlog is read or `maxHoldMs` passed. A LIVE update superseded
 * by a newer announcement of the same document before its round is not fanned out at all (the state and the replay
 * buffer still have it); OFFICIAL updates are always fanned out, in stream order. So when more comes in than can be
 * fanned out, rounds grow and conflate more instead of falling behind: the lag stays near one round plus the hold.
 * Within a round, the frames for one client are written in one go (see {@link WriteBatch}).
 */
export class DistributionHub implements StateListener {
  /** The fan-out's write batch: the outlets of CIS and SSE sessions hold their frames in it during a round. */
  readonly batch = new WriteBatch();
  private readonly index = new Map<string, Set<Subscription>>();
  private readonly byClient = new Map<HubClient, Set<Subscription>>();
  private readonly medalClients = new Set<HubClient>();
  private readonly scheduleClients = new Set<HubClient>();
  private stamp = 0;
  private pending: PendingDispatch[] = [];
  private readonly pendingByKey = new Map<string, PendingDispatch>();
  private flushState: FlushState = 'idle';
  private holdTimer?: NodeJS.Timeout;
  /** When the oldest announcement waiting for a round came in (epoch ms). */
  private oldestAt = 0;
  private readonly backlog = new Map<string, number>();
  private conflatedCount = 0;
  private roundCount = 0;
  private readonly holdCounts = { 'backlog-read': 0, 'max-hold': 0 };
  private readonly delivered = new Map<string, DeliveryCounter>();
  /** Messages wait outside the hub, to be brought in by {@link beforeRound} (see {@link defer}). */
  private deferredWork = false;
  private beforeRound: () => void = () => undefined;
  /** The fan-out spans of the round under way (tracing on), ended once its writes are done. */
  private roundSpans: Span[] = [];

  constructor(private readonly options: HubOptions = DEFAULT_HUB_OPTIONS) {}

  /** LIVE announcements never fanned out because a newer one of the same document came before their round. */
  get conflated(): number {
    return this.conflatedCount;
  }

  /**
   * Work kept outside the hub until a round starts: `bring` runs at the start of every round (it applies what waited,
   * announcing it here), e.g. stream messages taken in while behind but not yet applied.
   */
  setBeforeRound(bring: () => void): void {
    this.beforeRound = bring;
  }

  /** Messages wait to be brought in by the before-round hook: a round is due, as for an announcement. */
  defer(): void {
    if (!this.deferredWork && this.pending.length === 0) this.oldestAt = Date.now();
    this.deferredWork = true;
    this.schedule();
  }

  /** The counter of what the outlets of a channel (cis, sse) handed to their sockets. */
  deliveries(channel: string): DeliveryCounter {
    let counter = this.delivered.get(channel);
    if (!counter) {
      counter = { written: 0 };
      this.delivered.set(channel, counter);
    }
    return counter;
  }

  /** Every channel's delivery counter. */
  get deliveryCounts(): ReadonlyMap<string, DeliveryCounter> {
    return this.delivered;
  }

  /** Rounds held back for a backlog so far, by how the hold ended: the backlog was read, or `maxHoldMs` passed. */
  get holds(): Readonly<Record<'backlog-read' | 'max-hold', number>> {
    return this.holdCounts;
  }

  /** Fan-out rounds so far. */
  get rounds(): number {
    return this.roundCount;
  }

  /** Messages this instance is behind by, over the streams that announce here (see {@link setBacklog}). */
  get backlogMessages(): number {
    let total = 0;
    for (const pending of this.backlog.values()) total += pending;
    return total;
  }

  /**
   * A stream's follower tells, after each message, how many messages this instance is behind by on that stream
   * (waiting on the server or received and not yet handled; 1 when only the message's lateness shows it, see
   * DistributionLifecycle); while any stream has a backlog, rounds are held (see the class comment).
   */
  setBacklog(stream: string, pending: number): void {
    if (pending > 0) {
      this.backlog.set(stream, pending);
      return;
    }
    if (!this.backlog.delete(stream) || this.backlog.size > 0 || this.flushState !== 'holding') return;
    // The backlog is read: fan out on the next turn (after the rest of this read of the socket is handled).
    this.holdCounts['backlog-read']++;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.flushState = 'scheduled';
    setImmediate(() => this.round());
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
    // Tracing on and announced within a sampled message's span: the fan-out of this document joins that trace.
    const traced = sampledContext();
    this.enqueue(`d:${entry.key}`, isConflatable(entry.data), entry, () => {
      if (traced !== undefined) return this.tracedFanOut(traced, entry, (client) => client.onDocument(entry));
      let lanes = 0;
      for (const client of this.recipients(entry)) {
        client.onDocument(entry);
        lanes |= 1 << (client.lane ?? 0);
      }
      return lanes;
    });
  }

  current(entry: DocumentEntry): void {
    const traced = sampledContext();
    this.enqueue(`c:${entry.key}`, true, entry, () => {
      if (traced !== undefined) return this.tracedFanOut(traced, entry, (client) => client.onCurrent(entry));
      let lanes = 0;
      for (const client of this.recipients(entry)) {
        client.onCurrent(entry);
        lanes |= 1 << (client.lane ?? 0);
      }
      return lanes;
    });
  }

  /**
   * The dispatch of one document with a span per channel (`fan-out cis`, `fan-out sse`), children of the span of the
   * message that announced it, from the start of its dispatch to the end of the round's writes (ended in flush).
   * Returns the lanes it reached, as the untraced dispatch does.
   */
  private tracedFanOut(parent: Context, entry: DocumentEntry, send: (client: HubClient) => void): number {
    // One span per channel, made when its first recipient comes, its count set at the end: no per-recipient work
    // beyond a compare with the (two) channels seen.
    const channels: { channel: string; span: Span | undefined; recipients: number }[] = [];
    let lanes = 0;
    for (const client of this.recipients(entry)) {
      let seen = channels[0]?.channel === client.channel ? channels[0] : channels.find((c) => c.channel === client.channel);
      if (seen === undefined) {
        const span = startSpanIn(parent, `fan-out ${client.channel}`, {
          'podium.channel': client.channel,
          'podium.document.key': entry.key,
          'podium.stream.sequence': entry.seq,
        });
        seen = { channel: client.channel, span, recipients: 0 };
        channels.push(seen);
        if (span !== undefined) this.roundSpans.push(span);
      }
      seen.recipients++;
      send(client);
      lanes |= 1 << (client.lane ?? 0);
    }
    for (const { span, recipients } of channels) span?.setAttribute('podium.fanout.recipients', recipients);
    return lanes;
  }

  medals(table: MedalTableView): void {
    this.enqueue('medals', true, null, () => {
      for (const client of this.medalClients) client.onMedals(table);
      return 0;
    });
  }

  scheduleUnit(unit: ScheduleUnitView): void {
    this.enqueue(`unit:${unit.rsc}`, true, null, () => {
      for (const client of this.scheduleClients) client.onScheduleUnit(unit);
      return 0;
    });
  }

  /** Fans out everything announced so far, now (rounds normally start by themselves, see the class comment). */
  flush(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.flushState = 'idle';
    if (this.deferredWork) {
      this.deferredWork = false;
      this.beforeRound();
      // What it announced scheduled a round of its own (setImmediate): this one does it, that one finds nothing.
      this.flushState = 'idle';
    }
    const items = this.pending;
    if (items.length === 0) return;
    this.pending = [];
    this.pendingByKey.clear();
    this.roundCount++;
    const fanned: DocumentEntry[] = [];
    const lanes: number[] = [];
    try {
      this.batch.run(() => {
        for (const item of items) {
          if (!item.live) continue;
          const reached = item.run();
          if (item.entry) {
            fanned.push(item.entry);
            lanes.push(reached);
          }
        }
      });
    } finally {
      if (this.roundSpans.length > 0) {
        endSpans(this.roundSpans);
        this.roundSpans = [];
      }
    }
    this.options.onFannedOut?.(fanned, Date.now(), lanes, this.batch.releasedAt);
  }

  /**
   * A newer announcement with the same key makes a waiting conflatable one (LIVE, running clock, medal table,
   * schedule unit) obsolete; a non-conflatable one (OFFICIAL) is never dropped and keeps its place.
   */
  private enqueue(key: string, conflatable: boolean, entry: DocumentEntry | null, run: () => number): void {
    const previous = this.pendingByKey.get(key);
    if (previous?.conflatable && previous.live) {
      previous.live = false;
      this.conflatedCount++;
    }
    const item: PendingDispatch = { key, conflatable, live: true, run, entry };
    if (this.pending.length === 0 && !this.deferredWork) this.oldestAt = Date.now();
    this.pending.push(item);
    this.pendingByKey.set(key, item);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushState !== 'idle') return;
    this.flushState = 'scheduled';
    setImmediate(() => this.round());
  }

  /** A scheduled round: fans out now, or holds while a stream has a backlog (at most `maxHoldMs` after the oldest). */
  private round(): void {
    if (this.flushState !== 'scheduled') return;
    const waited = Date.now() - this.oldestAt;
    if (this.backlog.size > 0 && waited < this.options.maxHoldMs) {
      this.flushState = 'holding';
      this.holdTimer = setTimeout(() => {
        this.holdCounts['max-hold']++;
        this.flush();
      }, this.options.maxHoldMs - waited);
      return;
    }
    this.flush();
  }
}
