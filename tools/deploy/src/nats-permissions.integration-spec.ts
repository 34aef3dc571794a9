/**
 * The NATS authorization the chart renders, enforced by a real nats-server (the one tools/dev/services.sh installs),
 * started on a loopback port with the rendered auth.conf included exactly as the NATS pod includes it; and the
 * `helm test` request/reply script run against it.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AckPolicy, connect, type NatsConnection, StringCodec } from 'nats';
import { parse } from 'yaml';
import { filterWithin, type NatsPermissionsDocument } from './nats-permissions';
import { CHART_DIR, helmTemplate } from './helm';
import { listApps, WORKSPACE_ROOT } from './workspace';

const sc = StringCodec();
const perms = JSON.parse(readFileSync(join(CHART_DIR, 'files', 'nats-permissions.json'), 'utf8')) as NatsPermissionsDocument;
const users = [...Object.values(perms.services), perms.partner, perms.helmTest];
/**
 * Passwords as tools/deploy/nats-credentials.sh makes them: a letter, then letters and digits. The NATS server parses
 * an environment variable's value as a config value, so a password starting with a digit (or `true`, `1e5`...) breaks it.
 */
const newPassword = (): string => `p${randomBytes(24).toString('hex')}`;
const passwords = Object.fromEntries(users.map((u) => [u.secretKey, newPassword()]));
const serviceEnv = Object.fromEntries(users.map((u) => [`PODIUM_NATS_${u.secretKey}`, passwords[u.secretKey] ?? '']));

function natsServerBinary(): string {
  const found = spawnSync('bash', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('nats-server is not installed: tools/dev/services.sh installs it (Debian package nats-server)');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let dir: string;
let server: ChildProcess | undefined;
let url: string;
let confFile: string;
let testScript: string;
const open: NatsConnection[] = [];

async function login(user: string, secretKey: string, inboxPrefix?: string): Promise<{ nc: NatsConnection; errors: string[] }> {
  const nc = await connect({ servers: url, user, pass: passwords[secretKey], ...(inboxPrefix ? { inboxPrefix } : {}) });
  open.push(nc);
  const errors: string[] = [];
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'error') errors.push(String(status.data));
  })();
  return { nc, errors };
}

/** Resolves true once the server accepts the helm-test user, false if it exits or does not within 10 s. */
async function serverReady(child: ChildProcess): Promise<boolean> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (!exited && Date.now() < deadline) {
    try {
      const probe = await connect({ servers: url, user: perms.helmTest.user, pass: passwords[perms.helmTest.secretKey], timeout: 500 });
      await probe.close();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}

beforeAll(async () => {
  const { objects } = helmTemplate(CHART_DIR);
  const authConf = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'podium-nats-auth')?.['data'] as Record<string, string>)['auth.conf'];
  const testPod = objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'podium-test-nats');
  const script = (testPod?.['spec'] as { containers: { args: string[] }[] } | undefined)?.containers[0]?.args[0];
  if (!authConf || !script) throw new Error('the chart did not render the NATS auth ConfigMap and the NATS test pod');
  testScript = script;

  // Same layout as in the NATS pod: /etc/nats-config/nats.conf includes the mounted ConfigMap by a relative path.
  const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { nats: { config: { merge: Record<string, string> } } };
  const include = values.nats.config.merge['$include'] ?? '';
  dir = mkdtempSync(join(tmpdir(), 'podium-nats-'));
  confFile = join(dir, 'nats-config', 'nats.conf');
  const authFile = join(dir, 'nats-config', include);
  mkdirSync(dirname(confFile), { recursive: true });
  mkdirSync(dirname(authFile), { recursive: true });
  writeFileSync(authFile, authConf);
  // A free port can be taken by another process before nats-server binds it: retry on a new one.
  let serverLog = '';
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    url = `nats://127.0.0.1:${port}`;
    writeFileSync(confFile, `listen: 127.0.0.1:${port}\njetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }\ninclude ${include};\n`);
    serverLog = '';
    const child = spawn(natsServerBinary(), ['-c', confFile], { env: { PATH: process.env['PATH'] ?? '', ...serviceEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    server = child;
    child.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    if (await serverReady(child)) break;
    child.kill('SIGKILL');
    if (attempt === 3) throw new Error(`nats-server did not start:\n${serverLog}`);
  }
});

afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the rendered NATS authorization on a real nats-server', () => {
  it('is a valid configuration, and a missing password fails the server instead of opening it', () => {
    const binary = natsServerBinary();
    const ok = spawnSync(binary, ['-c', confFile, '-t'], { env: { PATH: process.env['PATH'] ?? '', ...serviceEnv }, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const { [`PODIUM_NATS_${perms.partner.secretKey}`]: _omitted, ...withoutPartner } = serviceEnv;
    const missing = spawnSync(binary, ['-c', confFile, '-t'], { env: { PATH: process.env['PATH'] ?? '', ...withoutPartner }, encoding: 'utf8' });
    expect(missing.status).not.toBe(0);
    expect(`${missing.stdout}${missing.stderr}`).toContain('PODIUM_NATS_PARTNER');
  });

  it('cannot start with a password that begins with a digit (why the credentials script never makes one)', () => {
    const env = { PATH: process.env['PATH'] ?? '', ...serviceEnv, [`PODIUM_NATS_${perms.partner.secretKey}`]: '1e5a2b3c4d' };
    const result = spawnSync(natsServerBinary(), ['-c', confFile, '-t'], { env, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('could not be parsed');
  });

  it('refuses a wrong password', async () => {
    await expect(connect({ servers: url, user: 'partner', pass: 'wrong', timeout: 2000 })).rejects.toThrow(/Authorization Violation/i);
  });

  it.each(listApps())('lets %s declare its streams and publish its own events only, and not delete streams', async (app) => {
    const user = perms.services[app];
    if (!user) throw new Error(`no NATS user for ${app}`);
    const { nc } = await login(user.user, user.secretKey);
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();
    const ownSubjects = user.publish.allow.filter((s) => !s.startsWith('$') && !s.startsWith('dlq.'));
    for (const stream of perms.streams.filter((s) => s.owner === app)) {
      await jsm.streams.add({ name: stream.name, subjects: stream.subjects });
      // A concrete subject of one of the service's contract subjects in this stream (tokens filled in).
      const pattern = ownSubjects.find((p) => stream.subjects.some((f) => filterWithin(p, f)));
      if (pattern) expect((await js.publish(pattern.replace(/\*/g, 'TEST'), sc.encode('{}'))).stream).toBe(stream.name);
      // Inside its own stream, a subject the contracts do not declare is refused too.
      await expect(js.publish((stream.subjects[0] ?? '').replace('>', 'undeclared.a.b.c.d.e'), sc.encode('{}'), { timeout: 2000 })).rejects.toThrow(
        /Permissions Violation/,
      );
      await expect(jsm.streams.delete(stream.name)).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.purge(stream.name)).rejects.toThrow(/Permissions Violation/);
    }
    // Another service's subject, and another service's dead letters.
    const foreign = Object.values(perms.services)
      .filter((u) => u.user !== app)
      .flatMap((u) => u.publish.allow.filter((s) => !s.startsWith('$') && !s.startsWith('dlq.')))
      .find((s) => !ownSubjects.includes(s));
    if (foreign) {
      await expect(js.publish(foreign.replace(/\*/g, 'TEST'), sc.encode('{}'), { timeout: 2000 })).rejects.toThrow(/Permissions Violation/);
    }
    await expect(js.publish(`dlq.not-${app}.x`, sc.encode('{}'), { timeout: 2000 })).rejects.toThrow(/Permissions Violation/);
  });

  it('lets the partner read public results only', async () => {
    const { nc, errors } = await login(perms.partner.user, perms.partner.secretKey, '_INBOX_partner');
    const received: string[] = [];
    nc.subscribe('ods.results.v1.>', { callback: (_err, msg) => received.push(msg.subject) });
    nc.subscribe('oms.schedules.v1.>');
    await nc.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).toContain('PERMISSIONS_VIOLATION');

    const schedules = perms.services['schedules'];
    if (schedules) {
      const { nc: publisher } = await login(schedules.user, schedules.secretKey);
      const jsm = await nc.jetstreamManager();
      await expect(jsm.consumers.add('SCHEDULES', { ack_policy: AckPolicy.Explicit, durable_name: 'partner' })).rejects.toThrow(/Permissions Violation/);
      await publisher.flush();
    }
    nc.publish('ods.results.v1.ATH.x.result', sc.encode('{}'));
    await nc.flush().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual([]);
  });

  it('passes the helm test request/reply script', () => {
    const out = execFileSync(process.execPath, ['-e', testScript], {
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_PATH: join(WORKSPACE_ROOT, 'node_modules'),
        NATS_URL: url,
        NATS_PASSWORD: passwords[perms.helmTest.secretKey],
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(out).toContain('NATS request/reply OK');
  });

  it('fails the helm test script with a wrong password', () => {
    const result = spawnSync(process.execPath, ['-e', testScript], {
      env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(WORKSPACE_ROOT, 'node_modules'), NATS_URL: url, NATS_PASSWORD: 'wrong' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('NATS test failed');
  });
});
