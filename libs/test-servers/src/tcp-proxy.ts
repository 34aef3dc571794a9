import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export interface TcpProxyOptions {
  /** Where the proxy forwards to. */
  targetHost: string;
  targetPort: number;
  /** Listen address (default 127.0.0.1) and port (default 0: any free port). */
  host?: string;
  port?: number;
  /** Delay added to every chunk in each direction (default 0). */
  latencyMs?: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'nats:': 4222, 'tls:': 4222, 'http:': 80 };

interface Pending {
  chunk: Buffer;
  due: number;
}

/** One direction of one proxied connection: reads `from`, writes `to`, through a queue that pause/latency hold back. */
class Pipe {
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly proxy: TcpProxy,
  ) {
    from.on('data', (chunk: Buffer) => {
      this.queue.push({ chunk, due: Date.now() + proxy.latencyMs });
      this.pump();
    });
    from.on('end', () => {
      this.ended = true;
      this.pump();
    });
    to.on('drain', () => this.pump());
  }

  pump(): void {
    if (this.timer || this.proxy.paused || this.to.destroyed) return;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!head) break;
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      if (!this.to.write(head.chunk)) {
        this.from.pause(); // back-pressure: resumed on 'drain' -> pump()
        return;
      }
    }
    if (this.ended) this.to.end();
    else if (!this.proxy.paused) this.from.resume();
  }

  hold(): void {
    this.from.pause();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

/**
 * A user-space TCP proxy on the loopback, to put between the code under test and PostgreSQL or NATS and
 * simulate what `tc netem` would (this kernel has none): a network that stalls (pause/resume), latency,
 * connections that are cut (dropConnections) and a server that is down (refuseConnections).
 *
 *   const proxy = await TcpProxy.forUrl(db.url);
 *   process.env.DATABASE_URL = proxy.rewrite(db.url);
 *   proxy.pause();   // queries hang, as on a partitioned network
 *   proxy.resume();
 *   await proxy.close();
 */
export class TcpProxy {
  latencyMs: number;
  paused = false;
  private refusing = false;
  private readonly connections = new Set<{ client: Socket; upstream: Socket; pipes: Pipe[] }>();

  private constructor(
    private readonly server: Server,
    private readonly options: TcpProxyOptions,
  ) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, options);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  /** A proxy to the host and port of a URL (postgres://, nats://...). */
  static async forUrl(url: string, options: Omit<TcpProxyOptions, 'targetHost' | 'targetPort'> = {}): Promise<TcpProxy> {
    const parsed = new URL(url);
    const port = Number(parsed.port || DEFAULT_PORTS[parsed.protocol]);
    if (!port) throw new Error(`No port in ${parsed.protocol}// URL and no default for it`);
    return TcpProxy.start({ ...options, targetHost: parsed.hostname.replace(/^\[|\]$/g, ''), targetPort: port });
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('TcpProxy is not listening');
    return address.port;
  }

  /** The same URL with host:port replaced by the proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = this.host;
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Open proxied connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops moving bytes in both directions; connections stay open (a stalled network). New connections are held too. */
  pause(): void {
    this.paused = true;
    for (const { pipes } of this.connections) for (const pipe of pipes) pipe.hold();
  }

  /** Delivers what was held and carries on. */
  resume(): void {
    this.paused = false;
    for (const { pipes } of this.connections) for (const pipe of pipes) pipe.pump();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /**
   * Sends the connections made from now on to another target (those open stay where they are), as a load balancer
   * does when the instance behind it was replaced: e.g. a service restarted on a new port behind a stable address.
   */
  retarget(targetHost: string, targetPort: number): void {
    this.options.targetHost = targetHost;
    this.options.targetPort = targetPort;
  }

  /** Resets every open connection (RST), as a crashed server or a cut link would. */
  dropConnections(): void {
    for (const connection of [...this.connections]) this.destroy(connection, true);
  }

  /** While true, new connections are reset as soon as they arrive (a server that is down). */
  refuseConnections(refuse = true): void {
    this.refusing = refuse;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = tcpConnect({ host: this.options.targetHost, port: this.options.targetPort });
    upstream.setNoDelay(true);
    const connection = { client, upstream, pipes: [] as Pipe[] };
    connection.pipes.push(new Pipe(client, upstream, this), new Pipe(upstream, client, this));
    this.connections.add(connection);
    if (this.paused) for (const pipe of connection.pipes) pipe.hold();
    const close = (): void => this.destroy(connection, false);
    client.on('error', close);
    upstream.on('error', () => this.destroy(connection, true));
    client.on('close', close);
    upstream.on('close', close);
  }

  private destroy(connection: { client: Socket; upstream: Socket; pipes: Pipe[] }, reset: boolean): void {
    if (!this.connections.delete(connection)) return;
    for (const pipe of connection.pipes) pipe.dispose();
    if (reset && !connection.client.destroyed) connection.client.resetAndDestroy();
    else connection.client.destroy();
    connection.upstream.destroy();
  }
}
