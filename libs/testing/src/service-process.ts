import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '@podium/test-servers';
import { createTestDatabase, type TestDatabase } from './postgres';
import { workspaceRoot } from './workspace';

export interface ServiceProcessOptions {
  /** The service: a folder of apps/ (its migrations are applied) and its SERVICE_NAME. */
  service: string;
  /** NATS_URL (may list several servers, comma-separated, e.g. a natsCluster's `url`) and NATS_PREFIX. */
  nats: { url: string; prefix: string };
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Give the service its own migrated database (default true). */
  database?: boolean;
  /** How long the service may take until GET /health/ready answers 200 (default 60 s). */
  readyTimeoutMs?: number;
  /** The build to run: `<dist>/apps/<service>/main.js` (default the workspace's dist/). */
  dist?: string;
}

export interface ServiceProcess {
  service: string;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> (append the path). */
  wsUrl: string;
  /** The process id it was started with. */
  pid: number;
  db: TestDatabase | undefined;
  /** The process still runs (has not exited). */
  readonly running: boolean;
  /** What it wrote to stdout and stderr (the last 512 KB). */
  logs(): string;
  /** GET /health/ready answers 200 right now. */
  ready(): Promise<boolean>;
  /** fetch against the service. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** SIGTERM (a graceful shutdown: consumers stop, NATS drains), SIGKILL after 15 s; then drops its database. Idempotent. */
  stop(): Promise<void>;
}


/**
 * Starts a built service (`dist/apps/<service>/main.js`, as a deployment runs it) as a process of its own, for tests
 * that must act on the service's process or on what it connects to while it runs (a NATS server killed under it, the
 * process itself stopped): its own migrated database, the given NATS and prefix, a random loopback port, auth in
 * public-key mode with a key generated for the run (no dev-mode convenience), NODE_ENV=test. Resolves once
 * GET /health/ready answers 200; rejects with the service's log when it exits first or is not ready in time.
 * In-process tests of one service use {@link startTestService} instead.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const main = join(options.dist ?? join(workspaceRoot(), 'dist'), 'apps', options.service, 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: build the service first (NX_DAEMON=false npx nx run ${options.service}:build)`);
  }
  const db = options.database === false ? undefined : await createTestDatabase({ service: options.service });
  let child: ChildProcess | undefined;
  let log = '';
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const running = child;
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await db?.drop().catch(() => undefined);
    })());
  try {
    const port = await freePort();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    child = spawn(process.execPath, [main], {
      cwd: workspaceRoot(),
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'test',
        SERVICE_NAME: options.service,
        HOST: '127.0.0.1',
        PORT: String(port),
        ...(db ? { DATABASE_URL: db.url } : {}),
        NATS_URL: options.nats.url,
        NATS_PREFIX: options.nats.prefix,
        AUTH_MODE: 'public-key',
        AUTH_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      log = `${log}${chunk.toString()}`.slice(-512 * 1024);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const started = child;
    const pid = started.pid;
    if (pid === undefined) throw new Error(`${options.service} did not start (${main})`);
    const url = `http://127.0.0.1:${port}`;
    const ready = async (): Promise<boolean> => {
      try {
        return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) })).status === 200;
      } catch {
        return false;
      }
    };
    let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined;
    const exited = new Promise<never>((_, reject) => {
      onExit = (code, signal) => reject(new Error(`${options.service} exited (${signal ?? `code ${String(code)}`}) before it was ready`));
      started.once('exit', onExit);
    });
    let gaveUp = false;
    const readyInTime = waitFor(async () => gaveUp || ready(), {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      intervalMs: 200,
      description: `${options.service} ready (GET /health/ready answers 200)`,
    });
    try {
      await Promise.race([readyInTime, exited]);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- ${options.service} log:\n${log.slice(-8_000)}`, { cause: error });
    } finally {
      gaveUp = true;
      started.off('exit', onExit);
      readyInTime.catch(() => undefined);
      exited.catch(() => undefined);
    }
    return {
      service: options.service,
      url,
      wsUrl: `ws://127.0.0.1:${port}`,
      pid,
      db,
      get running() {
        return started.exitCode === null && started.signalCode === null;
      },
      logs: () => log,
      ready,
      request: (path, init) => fetch(`${url}${path}`, init),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
