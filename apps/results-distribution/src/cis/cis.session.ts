import type { Socket } from 'node:net';
import {
  CIS_CLOSE,
  CIS_CLOSE_REASON,
  CIS_PROTOCOL_VERSION,
  type CisCommand,
  cisCommandSchema,
  type CisMessageOf,
  type CisSubscribeCommand,
} from '@podium/contracts';
import type { RawData, WebSocket } from 'ws';
import { catchUp, concatSources, currentsFor, framesOf, snapshotParts } from '../fanout/catch-up';
import { ClientSession } from '../fanout/client-session';
import { cisDocumentMessage, cisMedalsFrame, cisScheduleUnitFrame, wsTextFrame } from '../fanout/frames';
import type { DistributionHub, Subscription } from '../fanout/hub';
import type { FrameSource, OutboundMessage, OutletContext, OutletOptions, Sink } from '../fanout/outlet';
import type { DocumentEntry } from '../state/document';
import { type DocumentFilter, describeFilter } from '../state/filter';
import type { MedalTableView } from '../state/medal-tracker';
import type { ResultsState, ScheduleUnitView } from '../state/results-state';

/**
 * Writes whole WebSocket frames (built once per update, see frames.ts) straight to the connection's socket, the one
 * the upgrade handed over. `ws` keeps reading the socket (commands, pongs, close) and writes its own control frames to
 * it; without compression `ws` writes synchronously too, so frames never interleave.
 */
class WebSocketSink implements Sink {
  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Socket,
  ) {}

  buffered(): number {
    return this.socket.writableLength;
  }

  write(frame: Buffer): void {
    if (this.writable()) this.socket.write(frame);
  }

  writeMany(frames: readonly Buffer[]): void {
    if (!this.writable()) return;
    this.socket.cork();
    for (const frame of frames) this.socket.write(frame);
    this.socket.uncork();
  }

  requestDrain(): void {
    // The socket emits 'drain' (listened to in CisGateway) once the buffer that made write() return false is flushed.
  }

  close(reason: string, immediate = false): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.close(CIS_CLOSE.slowConsumer, reason.slice(0, 120));
    // A client that does not read will not read the close frame either.
    if (immediate) this.ws.terminate();
    else setTimeout(() => this.ws.terminate(), 5_000).unref();
  }

  private writable(): boolean {
    return this.ws.readyState === this.ws.OPEN && !this.socket.destroyed;
  }
}

/** What one CIS connection may do (see docs/results-distribution.md#abuse-limits). */
export interface CisLimits {
  /** CIS_MAX_SUBSCRIPTIONS: document subscriptions held at once. */
  readonly maxSubscriptions: number;
  /** CIS_SUBSCRIBE_TIMEOUT_MS: how long the connection may follow nothing. */
  readonly subscribeTimeoutMs: number;
}

/** Documents per snapshot message. */
const SNAPSHOT_PART_SIZE = 200;

/** The messages a session writes itself (documents, medals and schedule units are framed once in fanout/frames.ts). */
type CisControlMessage = CisMessageOf<'welcome' | 'subscribed' | 'unsubscribed' | 'reset' | 'error' | 'pong'>;

/**
 * Commands waiting while a catch-up is written before the socket stops being read (TCP then holds the client's
 * further commands back); the socket is read again once they are handled.
 */
const INBOX_PAUSE_AT = 32;

interface Command {
  readonly data: RawData;
  readonly isBinary: boolean;
}

/**
 * One CIS connection. Commands (JSON text frames, @podium/contracts' cisCommandSchema) are answered in order; a subscription
 * starts with a snapshot (or, given `after`, the missed updates from the replay buffer, or a `reset` then a
 * snapshot when they are no longer buffered), then every update with its stream sequence.
 *
 * Bounded per connection: at most CIS_MAX_SUBSCRIPTIONS subscriptions (a subscribe beyond is refused before any work,
 * `error too-many-subscriptions`; the connection stays); one catch-up (snapshot or resume) written at a time, built
 * part by part as the socket takes it, while the next commands wait (and past {@link INBOX_PAUSE_AT} of them, the socket
 * is not read); a connection without any subscription for CIS_SUBSCRIBE_TIMEOUT_MS is closed (4001).
 */
export class CisSession extends ClientSession {
  readonly channel = 'cis';
  private subscriptionCount = 0;
  private readonly subscriptions = new Map<string, Subscription>();
  /** Follows the medal table or the schedule (those subscriptions have no unsubscribe). */
  private watching = false;
  private closed = false;
  private readonly inbox: Command[] = [];
  private working = false;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    id: number,
    private readonly ws: WebSocket,
    socket: Socket,
    private readonly hub: DistributionHub,
    private readonly state: ResultsState,
    options: OutletOptions,
    context: OutletContext,
    onSlow: (reason: string) => void,
    private readonly limits: CisLimits = { maxSubscriptions: Number.MAX_SAFE_INTEGER, subscribeTimeoutMs: 0 },
    private readonly onIdle: () => void = () => undefined,
  ) {
    super(
      id,
      new WebSocketSink(ws, socket),
      options,
      (reason) => {
        this.hub.remove(this);
        this.stopIdleTimer();
        onSlow(reason);
      },
      context,
    );
  }

  welcome(): void {
    this.reply({
      type: 'welcome',
      protocol: CIS_PROTOCOL_VERSION,
      seq: this.state.resultsSeq,
      replayFrom: this.state.replay.floor,
    });
    this.startIdleTimer();
  }

  /** A command frame: handled now, or after the catch-up being written (in order either way). */
  receive(data: RawData, isBinary: boolean): void {
    if (this.closed || this.outlet.closed) return;
    this.inbox.push({ data, isBinary });
    if (this.inbox.length >= INBOX_PAUSE_AT && !this.ws.isPaused) this.ws.pause();
    this.work();
  }

  /** Handles the waiting commands in order, stopping while a catch-up is being written (it calls back when done). */
  private work(): void {
    if (this.working) return;
    this.working = true;
    try {
      while (this.inbox.length > 0 && !this.closed && !this.outlet.closed && !this.catchingUp) {
        const command = this.inbox.shift() as Command;
        this.handleFrame(command.data, command.isBinary);
      }
    } finally {
      this.working = false;
    }
    if (this.inbox.length === 0 && this.ws.isPaused && !this.closed) this.ws.resume();
  }

  private handleFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.error('bad-request', 'send JSON text frames');
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      return this.error('bad-request', 'the message is not JSON');
    }
    const parsed = cisCommandSchema.safeParse(json);
    if (!parsed.success) {
      return this.error(
        'bad-request',
        'invalid command',
        parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
      );
    }
    this.handle(parsed.data);
  }

  /** The connection closed (either side). */
  ended(): void {
    this.closed = true;
    this.inbox.length = 0;
    this.stopIdleTimer();
    this.hub.remove(this);
    this.outlet.detach();
  }

  protected documentMessage(entry: DocumentEntry): OutboundMessage {
    return cisDocumentMessage(entry);
  }

  protected medalsFrame(table: MedalTableView): Buffer {
    return cisMedalsFrame(table);
  }

  protected unitFrame(unit: ScheduleUnitView): Buffer {
    return cisScheduleUnitFrame(unit);
  }

  private handle(command: CisCommand): void {
    switch (command.action) {
      case 'subscribe':
        return this.subscribe(command);
      case 'unsubscribe': {
        const subscription = this.subscriptions.get(command.id);
        if (!subscription) return this.error('not-found', `no subscription ${command.id}`);
        this.hub.unsubscribe(subscription);
        this.subscriptions.delete(command.id);
        this.reply({ type: 'unsubscribed', id: command.id });
        if (this.subscriptions.size === 0 && !this.watching) this.startIdleTimer();
        return;
      }
      case 'snapshot': {
        const targets = command.id === undefined ? [...this.subscriptions.values()] : [this.subscriptions.get(command.id)];
        const snapshots: FrameSource[] = [];
        for (const subscription of targets) {
          if (!subscription) return this.error('not-found', `no subscription ${command.id ?? ''}`);
          snapshots.push(this.snapshotSource(subscription.id, this.state.documents.matching(subscription.filter), this.state.resultsSeq));
        }
        this.sendCatchUp(concatSources(snapshots), () => this.work());
        return;
      }
      case 'ping':
        return this.reply({ type: 'pong', seq: this.state.resultsSeq });
    }
  }

  private subscribe(command: CisSubscribeCommand): void {
    const followsDocuments = !((command.medals || command.schedule) && !hasFilter(command));
    const id = followsDocuments ? (command.id ?? `s${this.subscriptionCount + 1}`) : null;
    // Counted before any work: a new subscription beyond the cap is refused (replacing one of the same id is not new).
    if (id !== null && !this.subscriptions.has(id) && this.subscriptions.size >= this.limits.maxSubscriptions) {
      return this.error(
        'too-many-subscriptions',
        `at most ${this.limits.maxSubscriptions} subscriptions per connection: unsubscribe one first`,
      );
    }
    if (command.medals) {
      this.hub.watchMedals(this);
      this.watching = true;
      this.reply({ type: 'subscribed', topic: 'medals' });
      this.onMedals(this.state.medals.table);
    }
    if (command.schedule) {
      this.hub.watchSchedule(this);
      this.watching = true;
      this.reply({ type: 'subscribed', topic: 'schedule' });
      for (const unit of this.state.scheduleViews()) this.onScheduleUnit(unit);
    }
    this.stopIdleTimer();
    // A medals/schedule subscription without document fields does not also follow every document.
    if (id === null) return;
    if (command.id === undefined) this.subscriptionCount++;
    const filter: DocumentFilter = {
      ...(command.discipline === undefined ? {} : { discipline: command.discipline }),
      ...(command.rsc === undefined ? {} : { rsc: command.rsc }),
      ...(command.documentType === undefined ? {} : { documentType: command.documentType }),
    };
    const previous = this.subscriptions.get(id);
    if (previous) this.hub.unsubscribe(previous);

    const plan = catchUp(this.state, filter, command.after);
    this.subscriptions.set(id, this.hub.subscribe(this, id, filter, plan.seq));
    let source: FrameSource;
    if (plan.kind === 'resume') {
      this.reply({ type: 'subscribed', id, filter: describeFilter(filter), seq: plan.seq, resumed: true, missed: plan.updates.length });
      source = framesOf(plan.updates, (entry) => cisDocumentMessage(entry).frame);
    } else {
      this.reply({ type: 'subscribed', id, filter: describeFilter(filter), seq: plan.seq, resumed: false });
      if (plan.reset !== null) this.reply({ type: 'reset', id, reason: plan.reset, seq: plan.seq });
      source = this.snapshotSource(id, plan.documents, plan.seq);
    }
    // The running clocks follow the catch-up (they wait in the queue while it is written).
    this.sendCatchUp(source, () => this.work());
    for (const entry of currentsFor(this.state, filter)) this.sendEntry(entry);
  }

  /** A snapshot's parts, each built when the socket has room for it. */
  private snapshotSource(id: string, documents: readonly DocumentEntry[], seq: number): FrameSource {
    const prefix = `{"type":"snapshot","id":${JSON.stringify(id)},"seq":${seq},`;
    return snapshotParts(documents, SNAPSHOT_PART_SIZE, (part, index, parts) =>
      wsTextFrame(`${prefix}"part":${index},"parts":${parts},"documents":[${part.map((e) => e.json).join(',')}]}`),
    );
  }

  /** Closes the connection once it has followed nothing for CIS_SUBSCRIBE_TIMEOUT_MS. */
  private startIdleTimer(): void {
    if (this.limits.subscribeTimeoutMs <= 0 || this.closed) return;
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closed || this.outlet.closed || this.subscriptions.size > 0 || this.watching) return;
      this.onIdle();
      this.ws.close(CIS_CLOSE.noSubscription, CIS_CLOSE_REASON.noSubscription);
      setTimeout(() => this.ws.terminate(), 5_000).unref();
    }, this.limits.subscribeTimeoutMs);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private reply(message: CisControlMessage): void {
    this.sendControl(wsTextFrame(JSON.stringify(message)));
  }

  private error(code: string, message: string, errors?: { field: string; message: string }[]): void {
    this.reply({ type: 'error', code, message, ...(errors ? { errors } : {}) });
  }
}

function hasFilter(command: CisSubscribeCommand): boolean {
  return command.discipline !== undefined || command.rsc !== undefined || command.documentType !== undefined;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
