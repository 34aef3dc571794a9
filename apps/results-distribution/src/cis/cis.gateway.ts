import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CIS_CLOSE, CIS_CLOSE_REASON } from '@podium/contracts';
import { clientAddress, CONFIG, MetricsService, parseTrustedProxies, type TrustedProxies } from '@podium/platform';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { DistributionConfig } from '../app/config';
import { ConnectionBudget } from '../fanout/connection-budget';
import { DistributionHub } from '../fanout/hub';
import type { DeliveryCounter } from '../fanout/outlet';
import { QueuedBytesBudget } from '../fanout/queued-bytes-budget';
import { ResultsState } from '../state/results-state';
import { CisSession } from './cis.session';
import { CHANNEL_LANES } from '../fanout/write-batch';

/** Path of the CIS WebSocket endpoint. */
export const CIS_PATH = '/v1/cis';

const HEARTBEAT_MS = 30_000;

/**
 * The Commentator Information System channel: a WebSocket endpoint at /v1/cis on the service's HTTP server (the
 * `ws` library on the server's `upgrade` event). Each connection is a {@link CisSession}. The server pings every
 * 30 s and drops connections that did not answer the previous ping.
 */
@Injectable()
export class CisGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Cis');
  private wss?: WebSocketServer;
  private server?: Server;
  private heartbeat?: NodeJS.Timeout;
  private nextId = 0;
  private readonly sessions = new Map<WebSocket, CisSession>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);
  private readonly disconnects;
  private readonly delivered: DeliveryCounter;
  private readonly proxies: TrustedProxies;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly hub: DistributionHub,
    private readonly state: ResultsState,
    private readonly budget: ConnectionBudget,
    private readonly queuedBytes: QueuedBytesBudget,
    @Inject(CONFIG) private readonly config: DistributionConfig,
    metrics: MetricsService,
  ) {
    this.delivered = hub.deliveries('cis');
    const proxies = parseTrustedProxies(config.TRUSTED_PROXIES);
    this.proxies = proxies.ok ? proxies.proxies : null;
    const sessions = this.sessions;
    const connections = metrics.gauge({
      name: 'results_distribution_cis_connections',
      help: 'Open CIS WebSocket connections.',
      collect() {
        connections.set(sessions.size);
      },
    });
    this.disconnects = metrics.counter({
      name: 'results_distribution_disconnects_total',
      help:
        'Clients disconnected or refused by the server, by channel and reason (slow-consumer, full, address: ' +
        'MAX_CONNECTIONS_PER_ADDRESS, unresponsive, idle).',
      labelNames: ['channel', 'reason'],
    });
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
    this.server.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Before the HTTP server closes (it waits for every connection, upgraded ones included): tells each client to go
   * (close 1001; it reconnects elsewhere and resumes with `after`), and drops those that do not answer within 2 s.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.server?.off('upgrade', this.onUpgrade);
    const closing = [...this.sessions.keys()].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(CIS_CLOSE.goingAway, 'server shutting down');
          setTimeout(() => ws.terminate(), 2_000).unref();
        }),
    );
    await Promise.all(closing);
    this.wss?.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== CIS_PATH || !this.wss) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.proxies);
    // A plain HTTP server's upgrade socket is a net.Socket: the session writes its frames to it directly.
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, socket as Socket, address));
  }

  private connected(ws: WebSocket, socket: Socket, address: string): void {
    const refused = this.budget.acquire(address);
    if (refused !== null) {
      this.disconnects.inc({ channel: 'cis', reason: refused });
      // `ws` emits protocol errors (a bad frame) on the WebSocket: without a listener, one would throw.
      ws.on('error', () => undefined);
      ws.close(CIS_CLOSE.tryAgainLater, CIS_CLOSE_REASON[refused]);
      // A client that does not read will not answer the close frame either.
      setTimeout(() => ws.terminate(), 5_000).unref();
      return;
    }
    const session = new CisSession(
      ++this.nextId,
      ws,
      socket,
      this.hub,
      this.state,
      {
        maxMessages: this.config.CLIENT_QUEUE_MESSAGES,
        maxBytes: this.config.CLIENT_QUEUE_BYTES,
        highWaterBytes: this.config.CLIENT_SOCKET_HIGH_WATER,
      },
      // CIS first in every round: its service level (0.3 s) is the tightest.
      { batch: this.hub.batch, lane: CHANNEL_LANES.cis, delivered: this.delivered, budget: this.queuedBytes },
      (reason) => {
        this.disconnects.inc({ channel: 'cis', reason: 'slow-consumer' });
        this.logger.warn(`CIS client ${session.id} disconnected: ${reason}`);
      },
      { maxSubscriptions: this.config.CIS_MAX_SUBSCRIPTIONS, subscribeTimeoutMs: this.config.CIS_SUBSCRIBE_TIMEOUT_MS },
      () => this.disconnects.inc({ channel: 'cis', reason: 'idle' }),
    );
    this.sessions.set(ws, session);
    socket.on('drain', () => session.outlet.drain());
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => session.receive(data, isBinary));
    ws.on('close', () => {
      this.sessions.delete(ws);
      this.budget.release(address);
      session.ended();
    });
    ws.on('error', (err) => this.logger.debug(`CIS client ${session.id}: ${err.message}`));
    session.welcome();
  }

  private ping(): void {
    for (const ws of this.sessions.keys()) {
      if (!this.alive.has(ws)) {
        this.disconnects.inc({ channel: 'cis', reason: 'unresponsive' });
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
