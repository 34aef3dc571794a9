import WebSocket from 'ws';
import { backoffDelay, type BackoffOptions } from './backoff';
import {
  CIS_CLOSE,
  CIS_PROTOCOL_VERSION,
  type CisCommand,
  type CisMessageOf,
  cisServerMessageSchema,
  type CisServerMessage,
  type CisSubscribeCommand,
} from '@podium/contracts';
import { messageOf } from './errors';

/**
 * A documents subscription (the protocol's subscribe command, @podium/contracts' cisSubscribeCommandSchema): every
 * given field must match (AND). `rsc` may be a unit, phase or event code. `id` names the subscription (1-64 of
 * A-Z a-z 0-9 _ . : -); updates carry no id, snapshots and resets do.
 */
export type CisSubscription = Required<Pick<CisSubscribeCommand, 'id'>> & Pick<CisSubscribeCommand, 'discipline' | 'rsc' | 'documentType'>;

export interface CisClientOptions {
  /** `wss://results.example.org/v1/cis` (`ws://127.0.0.1:3007/v1/cis` locally). */
  url: string;
  /** Document subscriptions, each with its id. */
  subscriptions?: CisSubscription[];
  /** Follow the medal table (`medals` messages, the whole table at every change). */
  medals?: boolean;
  /** Follow the schedule units with their live status. */
  schedule?: boolean;
  /** Headers of the upgrade request (e.g. an `Authorization` where the deployment restricts CIS). */
  headers?: Record<string, string>;
  /** Reconnection delays (default 250 ms doubling up to 30 s, jittered). */
  backoff?: BackoffOptions;
  /** A `ping` is sent after this long without any message (default 15 s). */
  heartbeatMs?: number;
  /** Without any message for this long the connection is taken as dead, dropped and made again (default 45 s). */
  deadAfterMs?: number;
  /** Sequences remembered to drop an update seen twice (default 100,000). */
  dedupeWindow?: number;
}

export interface CisDisconnect {
  code: number;
  reason: string;
  /** When the next attempt is made (null after close()). */
  reconnectInMs: number | null;
}

/** A message the server sent that does not match the protocol: reported, never thrown. */
export interface CisInvalidMessage {
  reason: string;
  raw: string;
}

/** What a CisClient emits: each server message by its type, plus the connection's own events. */
export interface CisEvents {
  welcome: CisMessageOf<'welcome'>;
  subscribed: CisMessageOf<'subscribed'>;
  snapshot: CisMessageOf<'snapshot'>;
  /** A document update (new version), each sequence at most once, also across reconnections. */
  update: CisMessageOf<'update'>;
  current: CisMessageOf<'current'>;
  medals: CisMessageOf<'medals'>;
  schedule: CisMessageOf<'schedule'>;
  /** The server could not resume a subscription (the missed updates are no longer buffered): a snapshot follows. */
  reset: CisMessageOf<'reset'>;
  /** The server refused a command (the connection stays). */
  error: CisMessageOf<'error'>;
  pong: CisMessageOf<'pong'>;
  unsubscribed: CisMessageOf<'unsubscribed'>;
  connected: { attempt: number };
  disconnected: CisDisconnect;
  invalid: CisInvalidMessage;
}

type Listener<T> = (event: T) => void;

/** Where a subscription stands: what to resume after, and whether its catch-up (snapshot or missed updates) is done. */
interface SubscriptionState {
  spec: CisSubscription;
  /** The last sequence this subscription is complete up to; null: take a snapshot. */
  after: number | null;
}

/** The catch-up being received: the frames after `subscribed` belong to it until it is complete. */
type CatchUp = { id: string; seq: number; kind: 'resume'; remaining: number } | { id: string; seq: number; kind: 'snapshot' };

/**
 * The commentators' WebSocket client of results-distribution's CIS channel. It subscribes, then keeps following
 * through disconnections: it reconnects with backoff and resumes each subscription after the last sequence it is
 * complete up to (`after`), so that nothing is missed (the server sends what was missed, conflated: every OFFICIAL
 * version and the latest of each document) and nothing is delivered twice; when the server no longer has the missed
 * updates it sends `reset` and a snapshot. It pings when the line is quiet and drops a dead connection.
 *
 *   const cis = new CisClient({ url, subscriptions: [{ id: 'ath', discipline: 'ATH' }], medals: true });
 *   cis.on('update', ({ seq, document }) => show(document));
 *   cis.on('medals', ({ table }) => showTable(table));
 *   await cis.connect();
 */
export class CisClient {
  private ws: WebSocket | undefined;
  private readonly listeners = new Map<keyof CisEvents, Set<Listener<never>>>();
  private readonly subscriptions = new Map<string, SubscriptionState>();
  private readonly catchUps: CatchUp[] = [];
  private readonly delivered = new Set<number>();
  private readonly deliveredOrder: number[] = [];
  private attempt = 0;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastMessageAt = 0;
  private firstWelcome: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly options: CisClientOptions) {
    for (const spec of options.subscriptions ?? []) this.subscriptions.set(spec.id, { spec, after: null });
  }

  on<K extends keyof CisEvents>(event: K, listener: Listener<CisEvents[K]>): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return this;
  }

  off<K extends keyof CisEvents>(event: K, listener: Listener<CisEvents[K]>): this {
    this.listeners.get(event)?.delete(listener as Listener<never>);
    return this;
  }

  /** The sequence each subscription would resume after (null: it would take a snapshot). */
  resumePoints(): Record<string, number | null> {
    return Object.fromEntries([...this.subscriptions].map(([id, s]) => [id, s.after]));
  }

  /** Connects; resolves once the server welcomed the client and the subscriptions are sent (rejects if the first attempt fails). */
  connect(): Promise<void> {
    this.closing = false;
    return new Promise<void>((resolve, reject) => {
      this.firstWelcome = { resolve, reject };
      this.open();
    });
  }

  /** Adds (or replaces) a documents subscription, on the open connection and on every later one. */
  subscribe(spec: CisSubscription): void {
    this.subscriptions.set(spec.id, { spec, after: null });
    this.send({ action: 'subscribe', ...spec });
  }

  unsubscribe(id: string): void {
    this.subscriptions.delete(id);
    this.send({ action: 'unsubscribe', id });
  }

  /** Closes for good (no reconnection). */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'client closing');
      setTimeout(() => ws.terminate(), 2_000).unref();
    });
  }

  private emit<K extends keyof CisEvents>(event: K, value: CisEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as Listener<CisEvents[K]>)(value);
  }

  private send(command: CisCommand): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(command));
  }

  private open(): void {
    const ws = new WebSocket(this.options.url, { headers: this.options.headers, handshakeTimeout: 10_000 });
    this.ws = ws;
    this.catchUps.length = 0;
    ws.on('open', () => {
      this.lastMessageAt = Date.now();
      this.startHeartbeat(ws);
    });
    ws.on('message', (data, isBinary) => {
      this.lastMessageAt = Date.now();
      if (isBinary) return this.emit('invalid', { reason: 'binary frame', raw: '' });
      this.receive(data.toString());
    });
    ws.on('error', () => {
      // 'close' follows: reconnection happens there. The reason is in the close event.
    });
    ws.on('close', (code, reasonBuffer) => {
      this.stopHeartbeat();
      if (this.ws !== ws) return;
      const reason = reasonBuffer.toString();
      if (this.firstWelcome && !this.closing) {
        // The first attempt failed: tell connect() and keep trying in the background.
        this.firstWelcome.reject(new Error(`CIS connection to ${this.options.url} closed before the welcome (${code} ${reason})`));
        this.firstWelcome = undefined;
      }
      if (this.closing) {
        this.emit('disconnected', { code, reason, reconnectInMs: null });
        return;
      }
      const delay = backoffDelay(this.attempt++, this.options.backoff);
      this.emit('disconnected', { code, reason, reconnectInMs: delay });
      this.reconnectTimer = setTimeout(() => this.open(), delay);
    });
  }

  private startHeartbeat(ws: WebSocket): void {
    const every = this.options.heartbeatMs ?? 15_000;
    const deadAfter = this.options.deadAfterMs ?? 45_000;
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      const quiet = Date.now() - this.lastMessageAt;
      if (quiet >= deadAfter) {
        ws.terminate();
        return;
      }
      if (quiet >= every && ws.readyState === WebSocket.OPEN) ws.send('{"action":"ping"}');
    }, Math.max(100, Math.min(every, deadAfter) / 3));
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private receive(raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      return this.emit('invalid', { reason: `not JSON: ${messageOf(error)}`, raw });
    }
    const parsed = cisServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return this.emit('invalid', { reason, raw });
    }
    this.handle(parsed.data);
  }

  private handle(message: CisServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return this.welcomed(message);
      case 'subscribed':
        if (message.id !== undefined && message.seq !== undefined) {
          // Its catch-up follows: the missed updates, or (after an optional reset) the snapshot's parts.
          this.catchUps.push(
            message.resumed
              ? { id: message.id, seq: message.seq, kind: 'resume', remaining: message.missed ?? 0 }
              : { id: message.id, seq: message.seq, kind: 'snapshot' },
          );
          this.settleCatchUps();
        }
        return this.emit('subscribed', message);
      case 'snapshot': {
        const head = this.catchUps[0];
        if (head?.kind === 'snapshot' && head.id === message.id && message.part >= message.parts) {
          this.catchUps.shift();
          this.complete(head.id, message.seq);
        }
        return this.emit('snapshot', message);
      }
      case 'update':
        return this.update(message);
      case 'current':
        return this.emit('current', message);
      case 'medals':
        return this.emit('medals', message);
      case 'schedule':
        return this.emit('schedule', message);
      case 'reset': {
        const state = this.subscriptions.get(message.id);
        if (state) state.after = null;
        return this.emit('reset', message);
      }
      case 'error':
        return this.emit('error', message);
      case 'pong':
        return this.emit('pong', message);
      case 'unsubscribed':
        return this.emit('unsubscribed', message);
    }
  }

  private welcomed(message: CisMessageOf<'welcome'>): void {
    if (message.protocol !== CIS_PROTOCOL_VERSION) {
      this.emit('invalid', { reason: `protocol ${message.protocol}, this client speaks ${CIS_PROTOCOL_VERSION}`, raw: JSON.stringify(message) });
    }
    const attempt = this.attempt;
    this.attempt = 0;
    this.emit('welcome', message);
    for (const { spec, after } of this.subscriptions.values()) {
      this.send({ action: 'subscribe', ...spec, ...(after === null ? {} : { after }) });
    }
    if (this.options.medals || this.options.schedule) {
      this.send({ action: 'subscribe', ...(this.options.medals ? { medals: true } : {}), ...(this.options.schedule ? { schedule: true } : {}) });
    }
    this.emit('connected', { attempt });
    this.firstWelcome?.resolve();
    this.firstWelcome = undefined;
  }

  private update(message: CisMessageOf<'update'>): void {
    const head = this.catchUps[0];
    if (head?.kind === 'resume') {
      // A missed update of the subscription being resumed (live ones wait behind its catch-up on the server).
      head.remaining--;
      this.settleCatchUps();
    } else if (head === undefined) {
      // Live: the server fans out in sequence order, so every subscription is complete up to here.
      for (const state of this.subscriptions.values()) if (state.after !== null && state.after < message.seq) state.after = message.seq;
    }
    if (this.delivered.has(message.seq)) return;
    this.remember(message.seq);
    this.emit('update', message);
  }

  /** Completes the resumes whose missed updates all arrived (in order: the server answers subscribes in order). */
  private settleCatchUps(): void {
    for (let head = this.catchUps[0]; head?.kind === 'resume' && head.remaining <= 0; head = this.catchUps[0]) {
      this.catchUps.shift();
      this.complete(head.id, head.seq);
    }
  }

  private complete(id: string, seq: number): void {
    const state = this.subscriptions.get(id);
    if (state) state.after = Math.max(state.after ?? 0, seq);
  }

  private remember(seq: number): void {
    this.delivered.add(seq);
    this.deliveredOrder.push(seq);
    const window = this.options.dedupeWindow ?? 100_000;
    while (this.deliveredOrder.length > window) this.delivered.delete(this.deliveredOrder.shift() as number);
  }
}

export { CIS_CLOSE };
