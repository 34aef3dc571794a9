import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, posix } from 'node:path';
import { isDockerAvailable } from './docker';

/** Where Debian's package (`nats-server`) installs the binary, outside a non-root PATH. */
export const DEBIAN_NATS_SERVER = '/usr/sbin/nats-server';
const DEFAULT_IMAGE = 'nats:2.10';
/** Where the configuration directory is copied in the container (writable, so that relative store_dir works). */
const CONTAINER_DIR = '/tmp/podium-test-nats';

export interface StartNatsServerOptions {
  /** The server configuration (NATS config format). */
  config: string;
  /**
   * Path of the configuration inside the server's configuration directory (default `nats.conf`): relative includes
   * resolve against it as in production, e.g. `nats-config/nats.conf` including `../podium-nats-auth/auth.conf`.
   * The server runs in that directory, so a relative `store_dir` lands in it too.
   */
  configPath?: string;
  /** Other files of the configuration directory by relative path, e.g. `{ 'podium-nats-auth/auth.conf': text }`. */
  files?: Readonly<Record<string, string>>;
  /** The server's whole environment: the variables the configuration references (`$NAME`). */
  env?: Readonly<Record<string, string>>;
  /** Image on the Docker path (default nats:2.10, as createTestNats); pass the one you deploy. */
  image?: string;
  /** How long the server may take to log "Server is ready" (default 15 s). */
  startupTimeoutMs?: number;
}

export interface StartedNatsServer {
  /** nats://host:port of this server. */
  url: string;
  source: 'testcontainers' | 'local';
  /** What the server logged so far. */
  logs(): string;
  /** Stops the server and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A nats-server of its own, for a test of a server configuration (authorization, limits) rather than the shared
 * JetStream server of createTestNats. When a Docker engine answers: a Testcontainers `nats` container with the
 * configuration directory copied in. Otherwise: Debian's nats-server (`/usr/sbin/nats-server`, or `nats-server` on
 * PATH) on a random loopback port. Either way the listen address and port, the pid file and the monitoring port of the
 * configuration are replaced (command-line flags). Fails with how to install one when there is neither; rejects with
 * the server's log when it exits before it is ready (a bad configuration, a missing variable).
 */
export async function startNatsServer(options: StartNatsServerOptions, env: NodeJS.ProcessEnv = process.env): Promise<StartedNatsServer> {
  const configPath = posix.normalize(options.configPath ?? 'nats.conf');
  const files = { ...options.files, [configPath]: options.config };
  for (const path of Object.keys(files)) {
    if (posix.isAbsolute(path) || path.split('/').includes('..')) throw new Error(`startNatsServer: ${path} must be a path inside the configuration directory`);
  }
  if (await isDockerAvailable(env)) return startInDocker(options, configPath, files);
  return startLocally(options, configPath, files, natsServerBinary(env));
}

/** The local nats-server: on PATH, else Debian's. Throws with how to install one. */
export function natsServerBinary(env: NodeJS.ProcessEnv = process.env, fallbacks: readonly string[] = [DEBIAN_NATS_SERVER]): string {
  const onPath = (env['PATH'] ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'nats-server'));
  const found = [...onPath, ...fallbacks].find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found) return found;
  throw new Error(
    'This test starts a nats-server of its own, and there is none: no Docker engine answers (DOCKER_HOST, /var/run/docker.sock) ' +
      `and no nats-server is on PATH or at ${fallbacks.join(', ') || '(no fallback)'}.\n` +
      'Install it with `sudo apt-get install nats-server` (Debian/Ubuntu; `bash tools/dev/services.sh` does it), ' +
      'or put a nats-server from https://github.com/nats-io/nats-server/releases on PATH, or start a Docker engine.',
  );
}

function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

async function startLocally(options: StartNatsServerOptions, configPath: string, files: Record<string, string>, binary: string): Promise<StartedNatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'podium-nats-server-'));
  writeFiles(dir, files);
  // -p -1 / -m -1: ports chosen by the server (read back from its log), so parallel tests never race for one.
  const args = ['-c', join(dir, configPath), '-a', '127.0.0.1', '-p', '-1', '-m', '-1', '-P', join(dir, 'nats-server.pid')];
  const child = spawn(binary, args, { cwd: dir, env: { ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Drained for the server's whole life: a full pipe would block its logging, and the server with it.
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = `${log}${chunk.toString()}`.slice(-256 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let exited = false;
  const stop = async (): Promise<void> => {
    if (!exited) {
      let timer: NodeJS.Timeout | undefined;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await waitUntilReady(child, options.startupTimeoutMs ?? 15_000);
    exited = child.exitCode !== null;
    child.once('exit', () => (exited = true));
    return { url: `nats://127.0.0.1:${port}`, source: 'local', logs: () => log, stop };
  } catch (error) {
    exited = child.exitCode !== null || child.signalCode !== null;
    await stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]); // its last words included
    clearTimeout(timer);
    throw new Error(`${binary} ${args.join(' ')} did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`, { cause: error });
  }
}

/** Resolves the client port once the server logs "Server is ready"; rejects when it exits first or times out. */
export function waitUntilReady(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let text = '';
    let port: number | undefined;
    const timer = setTimeout(() => finish(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      port ??= Number(/Listening for client connections on [^\s]*:(\d+)/.exec(text)?.[1]) || undefined;
      if (port !== undefined && /Server is ready/.test(text)) finish();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => finish(new Error(`it exited (${signal ?? `code ${String(code)}`}) before it was ready`));
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', finish);
      if (error || port === undefined) reject(error ?? new Error('no client port in its log'));
      else resolve(port);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', finish);
  });
}

async function startInDocker(options: StartNatsServerOptions, configPath: string, files: Record<string, string>): Promise<StartedNatsServer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const image = options.image ?? DEFAULT_IMAGE;
  const args = ['-c', posix.join(CONTAINER_DIR, configPath), '-p', '4222', '-m', '8222', '-P', posix.join(CONTAINER_DIR, 'nats-server.pid')];
  let log = '';
  try {
    const container = await new GenericContainer(image)
      .withLogConsumer((stream) => stream.on('data', (chunk: Buffer | string) => (log += chunk.toString())))
      .withCopyContentToContainer(Object.entries(files).map(([path, content]) => ({ content, target: posix.join(CONTAINER_DIR, path) })))
      .withEnvironment({ ...options.env })
      .withWorkingDir(CONTAINER_DIR)
      .withCommand(args)
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .withStartupTimeout(options.startupTimeoutMs ?? 30_000)
      .start();
    let stopped = false;
    return {
      url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
      source: 'testcontainers',
      logs: () => log,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await container.stop();
      },
    };
  } catch (error) {
    throw new Error(`nats-server in ${image} (${args.join(' ')}) did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`, { cause: error });
  }
}
