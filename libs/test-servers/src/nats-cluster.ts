import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { natsServerBinary, waitUntilReady } from './nats-server';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface StartNatsClusterOptions {
  /** Servers in the cluster (default 3: the production overlay's size, the smallest that survives losing one). */
  size?: number;
  /** How long each server may take to log "Server is ready" (default 15 s). */
  startupTimeoutMs?: number;
  /** How long the cluster may take to elect its JetStream meta leader once every server runs (default 30 s). */
  jetStreamTimeoutMs?: number;
}

export interface NatsClusterNode {
  /** The server's name (`server_name`, e.g. `n1`): what JetStream reports as a stream's leader and replicas. */
  readonly name: string;
  /** nats://127.0.0.1:<port>; the same after {@link start} again. */
  readonly url: string;
  /** The running process's id (undefined while stopped). */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** What the server logged (the last 256 KB, across restarts). */
  logs(): string;
  /** Sends `signal` (default SIGKILL: a crash, no lame duck mode, nothing flushed) and resolves once the process exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again (same name, ports and JetStream store): it rejoins the cluster. */
  start(): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every server's URL, comma-separated: a NATS_URL that lists the cluster. */
  readonly url: string;
  readonly servers: readonly string[];
  /** The temporary directory of the servers' configurations and stores (removed by {@link stop}). */
  readonly dir: string;
  node(name: string): NatsClusterNode;
  /** The server holding the leadership of a stream ($JS.API.STREAM.INFO's cluster.leader), asked of a running server. */
  streamLeader(stream: string): Promise<NatsClusterNode>;
  /** Stops every server and removes the stores and configuration. Safe to call twice. */
  stop(): Promise<void>;
}

const CLUSTER_NAME = 'podium-test';


/**
 * A JetStream cluster of `size` nats-server processes on loopback (Debian's nats-server, or one on PATH: a cluster
 * test needs to kill and restart single servers, which the local binary allows), for fault tests: each server has its
 * own client and route ports, its own store in a temporary directory, and routes to every other. Resolves once every
 * server is ready and the cluster answers JetStream API requests (a meta leader is elected). `stop()` removes it all.
 */
export async function startNatsCluster(options: StartNatsClusterOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<NatsCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new Error(`startNatsCluster: size must be a positive integer, got ${size}`);
  const binary = natsServerBinary(env);
  const dir = mkdtempSync(join(tmpdir(), 'podium-nats-cluster-'));
  // Fixed for the cluster's life (a restarted server keeps its URL and routes), distinct from each other.
  const taken = new Set<number>();
  const distinctPort = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  const ports: { client: number; route: number }[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await distinctPort(), route: await distinctPort() });
  const nodes = ports.map((_, i) => new ClusterNode(binary, dir, i, ports, options.startupTimeoutMs ?? 15_000));
  const servers = nodes.map((n) => n.url);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(nodes.map((n) => n.stopGracefully()));
    rmSync(dir, { recursive: true, force: true });
  };

  const cluster: NatsCluster = {
    nodes,
    servers,
    dir,
    url: servers.join(','),
    node: (name) => {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`No server ${name} in the cluster (${nodes.map((n) => n.name).join(', ')})`);
      return found;
    },
    streamLeader: async (stream) => {
      const leader = await withRunningServer(nodes, async (nc) => {
        const info = await (await nc.jetstreamManager({ timeout: 5_000 })).streams.info(stream);
        return info.cluster?.leader;
      });
      if (!leader) throw new Error(`Stream ${stream} has no leader right now`);
      return cluster.node(leader);
    },
    stop,
  };

  try {
    await Promise.all(nodes.map((n) => n.start()));
    // JetStream answers once the servers have elected a meta leader: before that, API requests time out.
    await waitFor(
      () =>
        withRunningServer(nodes, async (nc) => {
          await (await nc.jetstreamManager({ timeout: 2_000 })).getAccountInfo();
          return true;
        }),
      { timeoutMs: options.jetStreamTimeoutMs ?? 30_000, intervalMs: 250, description: `JetStream available on the ${size}-server cluster` },
    );
  } catch (error) {
    const logs = nodes.map((n) => `--- ${n.name}\n${n.logs().slice(-4_000)}`).join('\n');
    await stop();
    throw new Error(`The nats-server cluster did not start: ${error instanceof Error ? error.message : String(error)}\n${logs}`, { cause: error });
  }
  return cluster;
}

/** Runs `fn` on a connection to the running servers (closed afterwards). */
async function withRunningServer<T>(nodes: readonly ClusterNode[], fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const running = nodes.filter((n) => n.running).map((n) => n.url);
  if (running.length === 0) throw new Error('No server of the cluster is running');
  const nc = await connect({ servers: running, timeout: 2_000, reconnect: false });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

class ClusterNode implements NatsClusterNode {
  readonly name: string;
  readonly url: string;
  private readonly configFile: string;
  private child?: ChildProcess;
  private log = '';

  constructor(
    private readonly binary: string,
    dir: string,
    index: number,
    ports: readonly { client: number; route: number }[],
    private readonly startupTimeoutMs: number,
  ) {
    this.name = `n${index + 1}`;
    const own = ports[index];
    if (!own) throw new Error(`no ports for server ${index}`);
    this.url = `nats://127.0.0.1:${own.client}`;
    const home = join(dir, this.name);
    mkdirSync(home, { recursive: true });
    const routes = ports.filter((_, i) => i !== index).map((p) => `nats-route://127.0.0.1:${p.route}`);
    this.configFile = join(home, 'nats.conf');
    writeFileSync(
      this.configFile,
      [
        `server_name: ${this.name}`,
        `listen: "127.0.0.1:${own.client}"`,
        `jetstream { store_dir: ${JSON.stringify(join(home, 'jetstream'))}, max_memory_store: 256MB, max_file_store: 1GB }`,
        `cluster {`,
        `  name: ${CLUSTER_NAME}`,
        `  listen: "127.0.0.1:${own.route}"`,
        `  routes: [${routes.map((r) => JSON.stringify(r)).join(', ')}]`,
        `}`,
        '',
      ].join('\n'),
    );
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  logs(): string {
    return this.log;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const child = spawn(this.binary, ['-c', this.configFile], { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // Drained for the server's whole life: a full pipe would block its logging, and the server with it.
    const keep = (chunk: Buffer): void => {
      this.log = `${this.log}${chunk.toString()}`.slice(-256 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    try {
      await waitUntilReady(child, this.startupTimeoutMs);
    } catch (error) {
      await this.kill();
      throw new Error(`${this.binary} -c ${this.configFile} (${this.name}) did not start: ${error instanceof Error ? error.message : String(error)}\n${this.log}`, {
        cause: error,
      });
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  async stopGracefully(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
