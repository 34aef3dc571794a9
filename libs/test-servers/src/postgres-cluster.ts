import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** Where Debian's `postgresql-15` package installs initdb, pg_ctl and postgres (not on PATH). */
export const DEBIAN_POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** pg_ctl's shutdown modes: `fast` ends every session (57P01) and checkpoints; `immediate` is a crash (recovery at start). */
export type PostgresShutdownMode = 'smart' | 'fast' | 'immediate';

export interface StartPostgresClusterOptions {
  /** The directory of initdb and pg_ctl (default Debian's PostgreSQL 15, or POSTGRES_BIN). */
  binDir?: string;
  /** Extra server settings (postgresql.conf), e.g. `{ max_connections: '300' }`. */
  settings?: Readonly<Record<string, string>>;
  /** How long a start may take (default 30 s). */
  startTimeoutMs?: number;
}

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication); the same after a restart. */
  readonly url: string;
  readonly port: number;
  /** The temporary directory of the cluster (data, socket, log), removed by {@link stop}. */
  readonly dir: string;
  /** The postmaster's process id (undefined while stopped). */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The server's log (the last 256 KB). */
  logs(): string;
  /** Shuts the server down with `mode` (pg_ctl stop -m) and waits until it is gone. */
  shutdown(mode?: PostgresShutdownMode): Promise<void>;
  /** Starts it again (same port, data and settings); resolves once it accepts connections. */
  start(): Promise<void>;
  /** shutdown(mode) then start(); resolves with how long the server was down. */
  restart(mode?: PostgresShutdownMode): Promise<{ downMs: number }>;
  /**
   * Freezes the server without closing anything (SIGSTOP to the postmaster and every child: backends, checkpointer,
   * WAL writer...): connections stay open and new ones queue in the kernel, queries hang. Slow, not down.
   */
  pause(): Promise<void>;
  /** SIGCONT to the processes {@link pause} stopped. */
  resume(): Promise<void>;
  /** Stops the server (immediate) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster of its own (initdb + pg_ctl from Debian's `postgresql` package) on a free loopback
 * port, in a temporary directory, for fault tests that restart, crash or freeze the database under running services
 * without touching the shared server. Trust authentication for `postgres` on 127.0.0.1; fsync off (a test cluster), synchronous commits.
 * Run as root (CI, this machine), the server runs as the `postgres` user, as PostgreSQL requires.
 * Fails with how to install it when initdb is missing.
 */
export async function startPostgresCluster(options: StartPostgresClusterOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<PostgresCluster> {
  const bin = options.binDir ?? env['POSTGRES_BIN'] ?? DEBIAN_POSTGRES_BIN;
  try {
    accessSync(join(bin, 'initdb'), constants.X_OK);
    accessSync(join(bin, 'pg_ctl'), constants.X_OK);
  } catch {
    throw new Error(
      `This test starts a PostgreSQL cluster of its own and needs initdb and pg_ctl in ${bin} (POSTGRES_BIN): ` +
        'install them with `sudo apt-get install postgresql-15` (Debian/Ubuntu; `bash tools/dev/services.sh` does it).',
    );
  }
  const owner = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'podium-postgres-cluster-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir);
  const logFile = join(dir, 'server.log');
  writeFileSync(logFile, '');
  if (owner) for (const path of [dir, socketDir, logFile]) chownSync(path, owner.uid, owner.gid);
  const port = await freePort();
  const run = (command: string, args: string[], timeoutMs: number): Promise<string> => runAs(join(bin, command), args, owner, timeoutMs);

  let stopped = false;
  const cluster = new LocalPostgresCluster(dir, data, logFile, port, run, options.startTimeoutMs ?? 30_000);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await cluster.resume().catch(() => undefined);
    await cluster.shutdown('immediate').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  cluster.stop = stop;
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], 60_000);
    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      port: String(port),
      unix_socket_directories: `'${socketDir}'`,
      // Nothing is flushed to disk (the machine does not crash under a test), but every commit is in the WAL before it
      // is acknowledged: with synchronous_commit off, an immediate shutdown loses the last commits a service answered
      // 2xx for (the fault suite saw it).
      fsync: 'off',
      full_page_writes: 'off',
      max_connections: '300',
      shared_buffers: '64MB',
      ...options.settings,
    };
    const conf = Object.entries(settings).map(([name, value]) => `${name} = ${value}`);
    writeFileSync(join(data, 'postgresql.conf'), `${readFileSync(join(data, 'postgresql.conf'), 'utf8')}\n${conf.join('\n')}\n`);
    await cluster.start();
  } catch (error) {
    const log = cluster.logs().slice(-4_000);
    await stop();
    throw new Error(`The PostgreSQL cluster did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`, { cause: error });
  }
  return cluster;
}

class LocalPostgresCluster implements PostgresCluster {
  readonly url: string;
  stop: () => Promise<void> = async () => undefined;
  private paused: number[] = [];

  constructor(
    readonly dir: string,
    private readonly data: string,
    private readonly logFile: string,
    readonly port: number,
    private readonly run: (command: string, args: string[], timeoutMs: number) => Promise<string>,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  get pid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (!Number.isInteger(pid) || pid <= 0) return undefined;
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  get running(): boolean {
    return this.pid !== undefined;
  }

  logs(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-256 * 1024);
    } catch {
      return '';
    }
  }

  async start(): Promise<void> {
    if (this.running) return;
    const seconds = String(Math.ceil(this.startTimeoutMs / 1000));
    await this.run('pg_ctl', ['start', '-D', this.data, '-l', this.logFile, '-w', '-t', seconds], this.startTimeoutMs + 5_000);
  }

  async shutdown(mode: PostgresShutdownMode = 'fast'): Promise<void> {
    if (!this.running) return;
    if (this.paused.length > 0) await this.resume();
    await this.run('pg_ctl', ['stop', '-D', this.data, '-m', mode, '-w', '-t', '60'], 65_000);
  }

  async restart(mode: PostgresShutdownMode = 'fast'): Promise<{ downMs: number }> {
    const started = Date.now();
    await this.shutdown(mode);
    await this.start();
    return { downMs: Date.now() - started };
  }

  async pause(): Promise<void> {
    const postmaster = this.pid;
    if (postmaster === undefined) throw new Error('pause: the PostgreSQL cluster is not running');
    // The postmaster first, so that it forks no new child meanwhile; then each child it has.
    process.kill(postmaster, 'SIGSTOP');
    this.paused = [postmaster, ...childrenOf(postmaster)];
    for (const pid of this.paused.slice(1)) signal(pid, 'SIGSTOP');
  }

  async resume(): Promise<void> {
    const paused = this.paused;
    this.paused = [];
    // Children first, the postmaster last (the reverse of pause).
    for (const pid of paused.slice(1)) signal(pid, 'SIGCONT');
    if (paused[0] !== undefined) signal(paused[0], 'SIGCONT');
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone meanwhile (a backend whose client disconnected).
  }
}

/** The direct children of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** As root, the `postgres` user (initdb and postgres refuse to run as root); otherwise the current user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('Run as root, this test needs the `postgres` user to run PostgreSQL (created by Debian\'s postgresql package)');
  }
}

function runAs(file: string, args: string[], owner: { uid: number; gid: number } | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(file, args, {
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
      // pg_ctl start leaves the server running with our pipes if we hand them over: its output goes to the log file.
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: '/',
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${file} ${args.join(' ')} failed (${sig ?? `code ${String(code)}`}): ${out.trim()}`));
    });
  });
}
