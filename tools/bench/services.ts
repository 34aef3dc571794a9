/**
 * `--spawn` of the benchmarks: starts the services they need from dist/ (build them first), each with a fresh database
 * (`podium_bench_<service>_<runId>`) and the run's own NATS_PREFIX, on port 10000 + its `npm start` port (schedules
 * 13001, entries 13002, results-ingest 13006, results-distribution 13007, so they never clash with `npm start`; a
 * port already taken, by another benchmark run for instance, is replaced by a free one), and removes the databases and
 * the prefix's JetStream streams afterwards. `replicas` starts N instances of a service side by side (same database
 * and NATS prefix, migrated once; the i-th on the port + 100 * i, results-distribution's each with its own INSTANCE_ID).
 *
 * Started the way tools/dev/start.sh starts them: migrated first, schedules first (with `demo`, its demo data pack is
 * loaded before the others start), the followers of the schedule with SCHEDULES_URL pointing at it, and (with `demo`)
 * the entries demo loaded once entries is ready. Each service logs to tmp/bench/<service>.log (LOG_LEVEL from
 * BENCH_LOG_LEVEL, default warn; replicas after the first to tmp/bench/<service>-<n>.log); BENCH_PROFILE=<service> writes a
 * V8 CPU profile of it (each of its replicas) to tmp/bench/ on exit. BENCH_DIST=<dir> starts the services from another
 * build (<dir>/apps/<service>/main.js, e.g. an older commit's, built in a git worktree) instead of dist/.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { serviceDefinition } from '@podium/contracts';
import { connect } from 'nats';
import { Client } from 'pg';

const ROOT = resolve(__dirname, '../..');
const LOGS = join(ROOT, 'tmp/bench');
/** The build the services start from. */
const DIST = resolve(process.env['BENCH_DIST'] ?? join(ROOT, 'dist'));
/** The local dev key (libs/auth/src/dev-defaults.ts), the one `npm run token` signs with by default. */
const LOCAL_DEV_SECRET = 'podium-local-dev-secret-change-me-0123456789';

/** The services a benchmark can start, in the order they start. */
export const BENCH_SERVICES = ['schedules', 'entries', 'results-ingest', 'results-distribution'] as const;
export type BenchService = (typeof BENCH_SERVICES)[number];

/** The port a spawned service listens on: 10000 + its `npm start` port (libs/contracts/src/services.json). */
export function spawnedPort(service: BenchService): number {
  return 10_000 + serviceDefinition(service).port;
}

/** Whether TCP `port` on 127.0.0.1 can be listened on now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A port on 127.0.0.1 that nothing listens on (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

export interface SpawnOptions<S extends BenchService> {
  services: readonly S[];
  /** Instances per service (default 1). */
  replicas?: Partial<Record<S, number>>;
  natsUrl: string;
  runId: string;
  log: (line: string) => void;
  /** Load the schedules demo pack and (when entries is started) the entries demo, as `npm start` does. */
  demo?: boolean;
}

export interface SpawnedInstance {
  /** `<service>` for the first instance, `<service>-<n>` for the n-th. */
  name: string;
  url: string;
  pid: number;
}

export interface SpawnedServices<S extends BenchService> {
  /** The first instance of each service. */
  urls: Record<S, string>;
  pids: Record<S, number>;
  /** Every instance of each service, the first one first. */
  instances: Record<S, SpawnedInstance[]>;
  /** The run's databases (one per service, shared by its replicas). */
  databases: string[];
  /** The NATS_PREFIX of the run (subjects); streams and consumers carry it with '.' as '_'. */
  prefix: string;
  /** The HS256 key the services verify tokens with (AUTH_MODE=dev). */
  authSecret: string;
  stop(): Promise<void>;
}

/**
 * A dev-mode bearer token minted by `npm run token` (tools/auth/mint-token.ts), signed with `secret` or, without it,
 * AUTH_DEV_SECRET / the local dev key (what `npm start` runs with).
 */
export function mintToken(options: { sub: string; roles: string[]; noc?: string; ttl?: string; secret?: string }): string {
  const args = ['--sub', options.sub, '--roles', options.roles.join(','), '--ttl', options.ttl ?? '4h'];
  if (options.noc !== undefined) args.push('--noc', options.noc);
  const env = options.secret === undefined ? process.env : { ...process.env, AUTH_DEV_SECRET: options.secret };
  const run = spawnSync(process.execPath, [join(ROOT, 'tools/auth/mint-token.mjs'), ...args], { cwd: ROOT, env, encoding: 'utf8' });
  const token = run.stdout?.trim() ?? '';
  if (run.status !== 0 || token === '') throw new Error(`npm run token -- ${args.join(' ')} failed: ${run.stderr || run.stdout}`);
  return token;
}

async function waitReady(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} (see tmp/bench/${name}.log)`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready after 60 s (see tmp/bench/${name}.log)`);
}

async function withAdmin<T>(fn: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: process.env['ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await pg.connect();
  try {
    return await fn(pg);
  } finally {
    await pg.end();
  }
}

/** Runs a repository tool (tsx) to completion; its output goes to tmp/bench/<logName>.log. */
function runTool(script: string, args: string[], env: Record<string, string>, logName: string): void {
  const fd = openSync(join(LOGS, `${logName}.log`), 'w');
  try {
    const run = spawnSync('npx', ['--no-install', 'tsx', join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
      timeout: 300_000,
    });
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${run.status}, see tmp/bench/${logName}.log)`);
  } finally {
    closeSync(fd);
  }
}

async function deleteStreams(natsUrl: string, namePrefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    const ours = (name: string): boolean => [namePrefix, `KV_${namePrefix}`, `OBJ_${namePrefix}`].some((p) => name.startsWith(p));
    // Collect first: deleting while paging through the listing would shift its offsets.
    const names: string[] = [];
    for await (const stream of jsm.streams.list()) names.push(stream.config.name);
    for (const name of names.filter(ours)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

export async function spawnServices<S extends BenchService>(options: SpawnOptions<S>): Promise<SpawnedServices<S>> {
  const wanted = BENCH_SERVICES.filter((s): s is S => (options.services as readonly BenchService[]).includes(s));
  const missing = wanted.filter((s) => !existsSync(join(DIST, 'apps', s, 'main.js')));
  if (missing.length > 0) {
    throw new Error(`dist/apps/{${missing.join(',')}}/main.js missing: run \`NX_DAEMON=false npx nx run-many -t build -p ${wanted.join(' ')}\` first`);
  }
  mkdirSync(LOGS, { recursive: true });
  const prefix = `bench${options.runId}.`;
  const databaseOf = (s: BenchService): string => `podium_bench_${s.replace(/-/g, '_')}_${options.runId}`;
  const databaseUrl = (s: BenchService): string => `postgres://postgres@127.0.0.1:5432/${databaseOf(s)}`;
  const replicasOf = (s: S): number => Math.max(1, Math.floor(options.replicas?.[s] ?? 1));
  const nameOf = (s: S, i: number): string => (i === 0 ? s : `${s}-${i + 1}`);
  const ports = new Map<string, number>();
  for (const s of wanted) {
    for (let i = 0; i < replicasOf(s); i++) {
      const wantedPort = spawnedPort(s) + 100 * i;
      const port = (await portFree(wantedPort)) ? wantedPort : await freePort();
      if (port !== wantedPort) options.log(`port ${wantedPort} is taken: ${nameOf(s, i)} listens on ${port}`);
      ports.set(nameOf(s, i), port);
    }
  }
  const urlOf = (s: BenchService, i = 0): string => `http://127.0.0.1:${ports.get(nameOf(s as S, i))}`;
  const authSecret = process.env['AUTH_DEV_SECRET'] ?? LOCAL_DEV_SECRET;
  const children = new Map<string, ChildProcess>();
  const migrated: S[] = [];

  const stop = async (): Promise<void> => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await deleteStreams(options.natsUrl, prefix.replace(/\./g, '_'));
    await withAdmin(async (pg) => {
      for (const s of migrated) await pg.query(`DROP DATABASE IF EXISTS "${databaseOf(s)}" WITH (FORCE)`);
    });
  };

  const env = {
    NATS_URL: options.natsUrl,
    NATS_PREFIX: prefix,
    // Dev auth and the demo venue key are local only: NODE_ENV=development and the explicit opt-in (docs/auth.md).
    NODE_ENV: 'development',
    PODIUM_LOCAL_DEV: 'true',
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: authSecret,
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    HOST: '127.0.0.1',
    // The followers of the schedule (entries, results-ingest) read its snapshot at boot, as under `npm start`.
    ...(wanted.includes('schedules' as S) ? { SCHEDULES_URL: urlOf('schedules') } : {}),
  };
  const ownEnv: Partial<Record<BenchService, Record<string, string>>> = {
    'results-ingest': { INGEST_DEMO_KEYS: 'true' },
    // Thousands of clients from 127.0.0.1: the per-address cap off (docs/results-distribution.md#abuse-limits).
    'results-distribution': { MAX_CONNECTIONS_PER_ADDRESS: '0' },
  };
  const instanceEnv = (s: S, i: number): Record<string, string> =>
    s === 'results-distribution' ? { INSTANCE_ID: i === 0 ? `bench-${options.runId}` : `bench-${options.runId}-${i + 1}` } : {};
  const start = (s: S, i: number): ChildProcess => {
    const name = nameOf(s, i);
    const profile = process.env['BENCH_PROFILE'] === s ? ['--cpu-prof', `--cpu-prof-dir=${LOGS}`] : [];
    // Logs straight to the file (not piped through this process, which blocks while wrk runs).
    const fd = openSync(join(LOGS, `${name}.log`), 'w');
    const child = spawn(process.execPath, [...profile, join(DIST, 'apps', s, 'main.js')], {
      env: {
        ...process.env,
        ...env,
        SERVICE_NAME: s,
        PORT: String(ports.get(name)),
        DATABASE_URL: databaseUrl(s),
        ...ownEnv[s],
        ...instanceEnv(s, i),
      },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    children.set(name, child);
    return child;
  };
  const startAndWait = async (services: S[]): Promise<void> => {
    const started = services.flatMap((s) => Array.from({ length: replicasOf(s) }, (_, i) => [s, i, start(s, i)] as const));
    await Promise.all(started.map(([s, i, child]) => waitReady(urlOf(s, i), child, nameOf(s, i))));
  };

  try {
    for (const s of wanted) {
      migrated.push(s);
      const run = spawnSync(process.execPath, [join(DIST, 'apps', s, 'main.js'), 'migrate'], {
        env: { ...process.env, DATABASE_URL: databaseUrl(s) },
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`migrating ${s} failed: ${run.stderr || run.stdout}`);
    }
    const schedules = wanted.filter((s) => s === 'schedules');
    await startAndWait(schedules);
    if (options.demo && schedules.length > 0) {
      options.log('loading the schedules demo pack (apps/schedules/data/demo-og2024.json)');
      const token = mintToken({ sub: 'demo-loader', roles: ['schedule-manager'], secret: authSecret });
      runTool('tools/schedules/import-pack.ts', ['apps/schedules/data/demo-og2024.json', '--url', urlOf('schedules')], { PODIUM_TOKEN: token }, 'load-schedules-demo');
    }
    await startAndWait(wanted.filter((s) => s !== 'schedules'));
    if (options.demo && wanted.includes('entries' as S)) {
      options.log('loading the entries demo (rules pack, athletes, entries)');
      const token = mintToken({ sub: 'demo-loader', roles: ['oc-admin'], secret: authSecret });
      runTool('tools/entries/load-demo.ts', ['--url', urlOf('entries')], { PODIUM_TOKEN: token }, 'load-entries-demo');
    }
  } catch (error) {
    await stop().catch((cleanup: unknown) => options.log(`cleanup after a failed start failed too: ${String(cleanup)}`));
    throw error;
  }
  const instances = Object.fromEntries(
    wanted.map((s) => [
      s,
      Array.from({ length: replicasOf(s) }, (_, i) => ({ name: nameOf(s, i), url: urlOf(s, i), pid: children.get(nameOf(s, i))?.pid ?? 0 })),
    ]),
  ) as Record<S, SpawnedInstance[]>;
  const urls = Object.fromEntries(wanted.map((s) => [s, urlOf(s)])) as Record<S, string>;
  const pids = Object.fromEntries(wanted.map((s) => [s, instances[s][0]?.pid ?? 0])) as Record<S, number>;
  const all = wanted.flatMap((s) => instances[s]);
  options.log(`spawned ${all.map((x) => `${x.name} (pid ${x.pid}, ${x.url})`).join(', ')}; NATS_PREFIX=${prefix}`);
  return { urls, pids, instances, databases: wanted.map(databaseOf), prefix, authSecret, stop };
}
