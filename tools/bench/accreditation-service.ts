/**
 * A service of the OMS for its benchmarks and load tools (`serviceTarget(<service>, ...)`: accreditation's, volunteers'):
 * either a running one (`--url`, tokens signed with AUTH_DEV_SECRET or the local dev key, as `npm start` runs) or, with
 * `--spawn`, one started from dist/ (build it first: `NX_DAEMON=false npx nx run <service>:build`; BENCH_DIST=<dir> for
 * another build) the way services.ts starts the others: a fresh database `podium_bench_<service>_<runId>`, migrated, the
 * run's own NATS_PREFIX, port 10000 + its `npm start` port (accreditation 13003; or a free one), its log in
 * tmp/bench/<service>.log (LOG_LEVEL from BENCH_LOG_LEVEL, default warn), BENCH_PROFILE=<service> for a V8 CPU profile
 * in tmp/bench/; the database and streams removed by stop() (`--keep` leaves the database, named in the log).
 * `--replicas N` starts N instances on the same database (ports 13003, 13103, ...; logs <service>-<n>.log).
 */
import { serviceDefinition } from '@podium/contracts';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';

import { pidListeningOn } from './proc';
import { freePort, mintToken } from './services';

const ROOT = resolve(__dirname, '../..');
const LOGS = join(ROOT, 'tmp/bench');
const DIST = resolve(process.env['BENCH_DIST'] ?? join(ROOT, 'dist'));
const LOCAL_DEV_SECRET = 'podium-local-dev-secret-change-me-0123456789';

export interface ServiceTarget {
  url: string;
  /** The service's process (spawned, or the one listening on the URL's port); undefined when not found. */
  pid: number | undefined;
  /** Every instance (`--replicas N` spawns N side by side on the same database; the first is `url`/`pid`). */
  instances: { url: string; pid: number | undefined }[];
  /** A dev token of the service's key. */
  token(roles: string[], claims?: { sub?: string; noc?: string }): string;
  /** The database URL when spawned (for EXPLAIN and counts). */
  databaseUrl: string | undefined;
  stop(): Promise<void>;
}

/** The accreditation service's (the first user of this file). */
export type AccreditationTarget = ServiceTarget;

/** The value of `--name`, or undefined. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** A positive number option (`--name`), or the fallback. */
export function numberOption(
  argv: readonly string[],
  name: string,
  fallback: number,
  integer = true,
): number {
  const text = argValue(argv, name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
}

async function waitReady(service: string, url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${service} exited with ${child.exitCode} (see tmp/bench/${service}.log)`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service} not ready after 60 s (see tmp/bench/${service}.log)`);
}

/** The accreditation service of `--url` (default the `npm start` port), or a spawned one with `--spawn`. */
export function accreditationTarget(argv: readonly string[], log: (line: string) => void): Promise<AccreditationTarget> {
  return serviceTarget('accreditation', argv, log);
}

/** `service` at `--url` (default its `npm start` port), or a spawned one from dist/ with `--spawn`. */
export async function serviceTarget(
  service: string,
  argv: readonly string[],
  log: (line: string) => void,
): Promise<ServiceTarget> {
  const secret = process.env['AUTH_DEV_SECRET'] ?? LOCAL_DEV_SECRET;
  const token = (roles: string[], claims: { sub?: string; noc?: string } = {}): string =>
    mintToken({
      sub: claims.sub ?? 'bench',
      roles,
      ...(claims.noc ? { noc: claims.noc } : {}),
      ttl: '8h',
      secret,
    });
  if (!argv.includes('--spawn')) {
    const url = argValue(argv, 'url') ?? `http://127.0.0.1:${serviceDefinition(service).port}`;
    const pid = pidListeningOn(Number(new URL(url).port));
    return {
      url,
      pid,
      instances: [{ url, pid }],
      token,
      databaseUrl: undefined,
      stop: async () => undefined,
    };
  }
  const main = join(DIST, `apps/${service}/main.js`);
  if (!existsSync(main))
    throw new Error(`${main} missing: run \`NX_DAEMON=false npx nx run ${service}:build\` first`);
  mkdirSync(LOGS, { recursive: true });
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const database = `podium_bench_${service.replace(/-/g, '_')}_${runId}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const natsUrl = argValue(argv, 'nats') ?? 'nats://127.0.0.1:4222';
  const prefix = `bench${runId}.`;
  const admin = process.env['ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const replicas = numberOption(argv, 'replicas', 1);
  const ports: number[] = [];
  for (let i = 0; i < replicas; i++) {
    const wanted = 10_000 + serviceDefinition(service).port + 100 * i;
    ports.push(
      await new Promise<number>((done) => {
        const probe = createServer();
        probe.once('error', () => void freePort().then(done));
        probe.listen(wanted, '127.0.0.1', () => probe.close(() => done(wanted)));
      }),
    );
  }
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const migrate = spawnSync(process.execPath, [main, 'migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0)
    throw new Error(`migrating ${service} failed: ${migrate.stderr || migrate.stdout}`);
  const profile =
    process.env['BENCH_PROFILE'] === service ? ['--cpu-prof', `--cpu-prof-dir=${LOGS}`] : [];
  const start = (i: number): ChildProcess => {
    const fd = openSync(join(LOGS, i === 0 ? `${service}.log` : `${service}-${i + 1}.log`), 'w');
    const child = spawn(process.execPath, [...profile, main], {
      env: {
        ...process.env,
        NATS_URL: natsUrl,
        NATS_PREFIX: prefix,
        NODE_ENV: 'development',
        PODIUM_LOCAL_DEV: 'true',
        AUTH_MODE: 'dev',
        AUTH_DEV_SECRET: secret,
        LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
        HOST: '127.0.0.1',
        SERVICE_NAME: service,
        PORT: String(ports[i]),
        DATABASE_URL: databaseUrl,
      },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    return child;
  };
  const children = ports.map((_, i) => start(i));
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    const nc = await connect({ servers: natsUrl });
    try {
      const jsm = await nc.jetstreamManager();
      const names: string[] = [];
      for await (const stream of jsm.streams.list()) names.push(stream.config.name);
      for (const name of names.filter((n) => n.startsWith(prefix.replace(/\./g, '_'))))
        await jsm.streams.delete(name);
    } finally {
      await nc.close();
    }
    if (argv.includes('--keep')) {
      log(`kept the database ${database} (--keep): drop it with DROP DATABASE "${database}"`);
      return;
    }
    const pg = new Client({ connectionString: admin });
    await pg.connect();
    try {
      await pg.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    } finally {
      await pg.end();
    }
  };
  try {
    await Promise.all(children.map((child, i) => waitReady(service, urls[i] as string, child)));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const instances = children.map((child, i) => ({ url: urls[i] as string, pid: child.pid }));
  log(
    `spawned ${service} ${instances.map((x) => `(pid ${x.pid}, ${x.url})`).join(', ')} from ${main}; database ${database}; NATS_PREFIX=${prefix}`,
  );
  return { url: instances[0]!.url, pid: instances[0]!.pid, instances, token, databaseUrl, stop };
}
