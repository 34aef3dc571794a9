/**
 * `--spawn`: the benchmark starts its own results-ingest and results-distribution from dist/ (build them first), each
 * with a fresh database and a NATS_PREFIX of its own, on ports 13006/13007, and removes everything afterwards.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';

const ROOT = resolve(__dirname, '../..');
const LOCAL_DEV_SECRET = 'podium-local-dev-secret-change-me-0123456789';

export interface SpawnedServices {
  ingestUrl: string;
  distributionUrl: string;
  prefix: string;
  pids: { ingest: number; distribution: number };
  stop(): Promise<void>;
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

export async function spawnServices(options: { natsUrl: string; runId: string; log: (line: string) => void }): Promise<SpawnedServices> {
  const services = ['results-ingest', 'results-distribution'] as const;
  for (const service of services) {
    if (!existsSync(join(ROOT, 'dist/apps', service, 'main.js'))) {
      throw new Error(`dist/apps/${service}/main.js is missing: run \`NX_DAEMON=false npx nx run-many -t build -p results-ingest results-distribution\` first`);
    }
  }
  const prefix = `bench${options.runId}.`;
  const databases = Object.fromEntries(services.map((s) => [s, `podium_bench_${s.replace(/-/g, '_')}_${options.runId}`])) as Record<
    (typeof services)[number],
    string
  >;
  const urlOf = (db: string): string => `postgres://postgres@127.0.0.1:5432/${db}`;
  spawnSync('mkdir', ['-p', join(ROOT, 'tmp/bench')]);
  for (const service of services) {
    const migrated = spawnSync(process.execPath, [join(ROOT, 'dist/apps', service, 'main.js'), 'migrate'], {
      env: { ...process.env, DATABASE_URL: urlOf(databases[service]) },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrating ${service} failed: ${migrated.stderr || migrated.stdout}`);
  }
  const common = {
    ...process.env,
    NATS_URL: options.natsUrl,
    NATS_PREFIX: prefix,
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    HOST: '127.0.0.1',
  };
  const start = (service: (typeof services)[number], port: number, env: Record<string, string>): ChildProcess => {
    // BENCH_PROFILE=results-distribution writes a V8 CPU profile of that service to tmp/bench/ on exit.
    const profile = process.env['BENCH_PROFILE'] === service ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'tmp/bench')}`] : [];
    const child = spawn(process.execPath, [...profile, join(ROOT, 'dist/apps', service, 'main.js')], {
      env: { ...common, SERVICE_NAME: service, PORT: String(port), DATABASE_URL: urlOf(databases[service]), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(ROOT, 'tmp/bench', `${service}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    return child;
  };
  const ingest = start('results-ingest', 13006, { INGEST_DEMO_KEYS: 'true' });
  const distribution = start('results-distribution', 13007, { INSTANCE_ID: `bench-${options.runId}` });
  const ingestUrl = 'http://127.0.0.1:13006';
  const distributionUrl = 'http://127.0.0.1:13007';
  await Promise.all([waitReady(ingestUrl, ingest, 'results-ingest'), waitReady(distributionUrl, distribution, 'results-distribution')]);
  options.log(`spawned results-ingest (pid ${ingest.pid}) and results-distribution (pid ${distribution.pid}), NATS_PREFIX=${prefix}`);

  return {
    ingestUrl,
    distributionUrl,
    prefix,
    pids: { ingest: ingest.pid ?? 0, distribution: distribution.pid ?? 0 },
    async stop() {
      await Promise.all(
        [ingest, distribution].map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
            }),
        ),
      );
      const nc = await connect({ servers: options.natsUrl });
      try {
        const jsm = await nc.jetstreamManager();
        const namePrefix = prefix.replace(/\./g, '_');
        const names: string[] = [];
        for await (const stream of jsm.streams.list()) names.push(stream.config.name);
        for (const name of names) {
          if (name.startsWith(namePrefix)) await jsm.streams.delete(name);
        }
      } finally {
        await nc.close();
      }
      await withAdmin(async (pg) => {
        for (const db of Object.values(databases)) await pg.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      });
    },
  };
}
