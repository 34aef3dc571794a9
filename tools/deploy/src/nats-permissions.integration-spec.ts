/**
 * The NATS server configuration the chart renders (the NATS chart's nats.conf, including Podium's generated auth.conf
 * as the NATS pod does), run by a real nats-server through @podium/test-servers's startNatsServer: a container of the
 * image the chart deploys when a Docker engine answers, else Debian's nats-server on a loopback port. Checks the
 * permissions, JetStream with every stream of the contracts in its storage, max_payload, and runs the `helm test`
 * request/reply script against it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { streams as contractStreams } from '@podium/contracts';
import { type StartedNatsServer, startNatsServer, type StartNatsServerOptions } from '@podium/test-servers';
import { AckPolicy, connect, type NatsConnection, StorageType, StringCodec } from 'nats';
import { parse } from 'yaml';
import { filterWithin, type NatsPermissionsDocument } from './nats-permissions';
import { CHART_DIR, helmTemplate, type K8sObject, ownObjects, subchartObjects } from './helm';
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
const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { nats: { config: { merge: { max_payload: number } } } };

let server: StartedNatsServer | undefined;
let url: string;
/** How to start a server of the rendered configuration, with another environment. */
let serverOptions: (env: Record<string, string>) => StartNatsServerOptions;
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

interface PodSpec {
  containers: { name: string; image?: string; volumeMounts: { name: string; mountPath: string }[] }[];
  volumes: { name: string; configMap?: { name: string } }[];
}

function configMapData(objects: readonly K8sObject[], name: string, key: string): string {
  const value = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.['data'] as Record<string, string> | undefined)?.[key];
  if (!value) throw new Error(`the chart rendered no ConfigMap ${name} with ${key}`);
  return value;
}

beforeAll(async () => {
  const rendered = helmTemplate(CHART_DIR);
  const nats = subchartObjects(rendered, 'nats');
  const natsConf = configMapData(nats, 'podium-nats-config', 'nats.conf');
  const authConf = configMapData(ownObjects(rendered), 'podium-nats-auth', 'auth.conf');
  const testPod = rendered.objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'podium-test-nats');
  const script = (testPod?.['spec'] as { containers: { args: string[] }[] } | undefined)?.containers[0]?.args[0];
  if (!script) throw new Error('the chart did not render the NATS test pod');
  testScript = script;

  // The NATS pod's layout: nats.conf in the config mount includes auth.conf of the podium-nats-auth mount by a
  // relative path. Both mounts are reproduced under one directory, relative to their common parent.
  const pod = (nats.find((o) => o.kind === 'StatefulSet')?.['spec'] as { template: { spec: PodSpec } } | undefined)?.template.spec;
  const container = pod?.containers.find((c) => c.name === 'nats');
  const mountOf = (configMap: string): string | undefined => {
    const volume = pod?.volumes.find((v) => v.configMap?.name === configMap)?.name;
    return container?.volumeMounts.find((m) => m.name === volume)?.mountPath;
  };
  const configDir = mountOf('podium-nats-config');
  const authDir = mountOf('podium-nats-auth');
  if (!container?.image || !configDir || !authDir) throw new Error('the NATS StatefulSet lacks its image or the config and auth mounts');
  const root = posix.dirname(configDir);
  // The JetStream store is the pod's volume at /data; here, a directory of the server's own.
  const config = natsConf.replace('"store_dir": "/data"', '"store_dir": "jetstream"');
  if (config === natsConf) throw new Error(`nats.conf has no "store_dir": "/data" to relocate:\n${natsConf}`);
  serverOptions = (env) => ({
    config,
    configPath: posix.join(posix.relative(root, configDir), 'nats.conf'),
    files: { [posix.join(posix.relative(root, authDir), 'auth.conf')]: authConf },
    // The pod sets SERVER_NAME from its name; the passwords come from the credentials Secret.
    env: { SERVER_NAME: 'podium-nats-0', ...env },
    image: container.image,
  });
  server = await startNatsServer(serverOptions(serviceEnv));
  url = server.url;
});

afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
});

describe('the rendered NATS authorization on a real nats-server', () => {
  it('starts, and a missing password fails the server instead of opening it', async () => {
    expect(server?.url).toMatch(/^nats:\/\//);
    const { [`PODIUM_NATS_${perms.partner.secretKey}`]: _omitted, ...withoutPartner } = serviceEnv;
    await expect(startNatsServer(serverOptions(withoutPartner))).rejects.toThrow(/PODIUM_NATS_PARTNER/);
  });

  it('cannot start with a password that begins with a digit (why the credentials script never makes one)', async () => {
    const env = { ...serviceEnv, [`PODIUM_NATS_${perms.partner.secretKey}`]: '1e5a2b3c4d' };
    await expect(startNatsServer(serverOptions(env))).rejects.toThrow(/PODIUM_NATS_PARTNER.*could not be parsed/);
  });

  it('has JetStream and the max_payload of the values (results-ingest publishes ODF messages up to 10 MB whole)', async () => {
    const helmTest = perms.helmTest;
    const { nc } = await login(helmTest.user, helmTest.secretKey, '_INBOX_helm_test');
    expect(nc.info?.max_payload).toBe(values.nats.config.merge.max_payload);
    expect(nc.info?.jetstream).toBe(true);
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
      // In the storage the contracts declare: the server must have room for memory streams too.
      const storage = contractStreams.find((c) => c.name === stream.name)?.storage === 'memory' ? StorageType.Memory : StorageType.File;
      await jsm.streams.add({ name: stream.name, subjects: stream.subjects, storage });
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
