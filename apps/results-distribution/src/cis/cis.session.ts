import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { catchUp, chunk, currentsFor } from '../fanout/catch-up';
import { ClientSession } from '../fanout/client-session';
import { cisDocumentMessage, cisMedalsFrame, cisScheduleUnitFrame, wsTextFrame } from '../fanout/frames';
import type { DistributionHub, Subscription } from '../fanout/hub';
import type { OutboundMessage, OutletContext, OutletOptions, Sink } from '../fanout/outlet';
import type { DocumentEntry } from '../state/document';
import { type DocumentFilter, describeFilter } from '../state/filter';
import type { MedalTableView } from '../state/medal-tracker';
import type { ResultsState, ScheduleUnitView } from '../state/results-state';
import { CIS_CLOSE, CIS_PROTOCOL_VERSION, type CisCommand, cisCommandSchema, SNAPSHOT_PART_SIZE, type SubscribeCommand } from './cis.protocol';

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

  close(reason: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.close(CIS_CLOSE.slowConsumer, reason.slice(0, 120));
    // A client that does not read will not read the close frame either.
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }

  private writable(): boolean {
    return this.ws.readyState === this.ws.OPEN && !this.socket.destroyed;
  }
}

/**
 * One CIS connection. Commands (JSON text frames, see cis.protocol.ts) are answered in order; a subscription
 * starts with a snapshot (or, given `after`, the missed updates from the replay buffer, or a `reset` then a
 * snapshot when they are no longer buffered), then every update with its stream sequence.
 */
export class CisSession extends ClientSession {
  private subscriptionCount = 0;
  private readonly subscriptions = new Map<string, Subscription>();
  private closed = false;

  constructor(
    id: number,
    ws: WebSocket,
    socket: Socket,
    private readonly hub: DistributionHub,
    private readonly state: ResultsState,
    options: OutletOptions,
    context: OutletContext,
    onSlow: (reason: string) => void,
  ) {
    super(
      id,
      new WebSocketSink(ws, socket),
      options,
      (reason) => {
        this.hub.remove(this);
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
  }

  receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
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
        return this.reply({ type: 'unsubscribed', id: command.id });
      }
      case 'snapshot': {
        const targets = command.id === undefined ? [...this.subscriptions.values()] : [this.subscriptions.get(command.id)];
        for (const subscription of targets) {
          if (!subscription) return this.error('not-found', `no subscription ${command.id ?? ''}`);
          this.sendSnapshot(subscription.id, subscription.filter, null);
        }
        return;
      }
      case 'ping':
        return this.reply({ type: 'pong', seq: this.state.resultsSeq });
    }
  }

  private subscribe(command: SubscribeCommand): void {
    if (command.medals) {
      this.hub.watchMedals(this);
      this.reply({ type: 'subscribed', topic: 'medals' });
      this.onMedals(this.state.medals.table);
    }
    if (command.schedule) {
      this.hub.watchSchedule(this);
      this.reply({ type: 'subscribed', topic: 'schedule' });
      for (const unit of this.state.scheduleViews()) this.onScheduleUnit(unit);
    }
    // A medals/schedule subscription without document fields does not also follow every document.
    if ((command.medals || command.schedule) && !hasFilter(command)) return;
    const filter: DocumentFilter = {
      ...(command.discipline === undefined ? {} : { discipline: command.discipline }),
      ...(command.rsc === undefined ? {} : { rsc: command.rsc }),
      ...(command.documentType === undefined ? {} : { documentType: command.documentType }),
    };
    const id = command.id ?? `s${++this.subscriptionCount}`;
    const previous = this.subscriptions.get(id);
    if (previous) this.hub.unsubscribe(previous);

    const plan = catchUp(this.state, filter, command.after);
    this.subscriptions.set(id, this.hub.subscribe(this, id, filter, plan.seq));
    if (plan.kind === 'resume') {
      this.reply({ type: 'subscribed', id, filter: describeFilter(filter), seq: plan.seq, resumed: true, missed: plan.updates.length });
      for (const entry of plan.updates) this.sendEntry(entry);
    } else {
      this.reply({ type: 'subscribed', id, filter: describeFilter(filter), seq: plan.seq, resumed: false });
      this.sendSnapshot(id, filter, plan.reset, plan.documents, plan.seq);
    }
    for (const entry of currentsFor(this.state, filter)) this.sendEntry(entry);
  }

  private sendSnapshot(
    id: string,
    filter: DocumentFilter,
    reset: string | null,
    documents: readonly DocumentEntry[] = this.state.documents.matching(filter),
    seq = this.state.resultsSeq,
  ): void {
    if (reset !== null) this.reply({ type: 'reset', id, reason: reset, seq });
    const parts = chunk(documents, SNAPSHOT_PART_SIZE);
    parts.forEach((part, i) => {
      this.sendControl(
        wsTextFrame(
          `{"type":"snapshot","id":${JSON.stringify(id)},"seq":${seq},"part":${i + 1},"parts":${parts.length},` +
            `"documents":[${part.map((e) => e.json).join(',')}]}`,
        ),
      );
    });
  }

  private reply(message: Record<string, unknown>): void {
    this.sendControl(wsTextFrame(JSON.stringify(message)));
  }

  private error(code: string, message: string, errors?: { field: string; message: string }[]): void {
    this.reply({ type: 'error', code, message, ...(errors ? { errors } : {}) });
  }
}

function hasFilter(command: SubscribeCommand): boolean {
  return command.discipline !== undefined || command.rsc !== undefined || command.documentType !== undefined;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
