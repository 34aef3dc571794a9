/**
 * The NATS server configuration the chart renders (the NATS chart's nats.conf, including Podium's generated auth.conf
 * as the NATS pod does, with two partners in the values), run by a real nats-server through @podium/test-servers's
 * startNatsServer: a container of the image the chart deploys when a Docker engine answers, else Debian's nats-server
 * on a loopback port.
 *
 * Read as an attacker holding one credential: as every service user and as partner A, the attempts of issue 10 are
 * each refused (a stream update, another's consumer deleted, read or acked, a push consumer delivering onto another
 * service's subject, another's inbox read), checked by their effect on the server where there is one; and every
 * user's legitimate operations still work: the jetstream-admin Job's script creates the streams with the contracts'
 * settings, the partners' durables and the mirrors of results-distribution's own account, each service then declares
 * its streams and consumers through the platform's own NATS connection (its inbox prefix included) and consumes,
 * results-distribution follows its mirrors (same sequences) and dead-letters into the main account, a partner reads and
 * acks its own durable, and the `helm test` request/reply script passes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { INGEST_RPC_SUBJECT, streams as contractStreams, subjects as contractSubjects } from '@podium/contracts';
import { NatsConnectionService } from '@podium/platform';
import { type StartedNatsServer, startNatsServer, type StartNatsServerOptions, waitFor } from '@podium/test-servers';
import { type ServiceProcess, startServiceProcess } from '@podium/testing';
import { makeResultMessage } from '@podium/odf-message';
import { AckPolicy, connect, DeliverPolicy, type JetStreamManager, type NatsConnection, StringCodec } from 'nats';
import { parse } from 'yaml';
import { CHART_DIR, helmTemplate, type K8sObject, ownObjects, subchartObjects } from './helm';
import { filterWithin, type NatsPermissionsDocument, partnerPermissions, type UserPermissions } from './nats-permissions';
import { listApps, WORKSPACE_ROOT } from './workspace';

const sc = StringCodec();
const perms = JSON.parse(readFileSync(join(CHART_DIR, 'files', 'nats-permissions.json'), 'utf8')) as NatsPermissionsDocument;
const apps = listApps();
const service = (app: string): UserPermissions => {
  const u = perms.services[app];
  if (!u) throw new Error(`no NATS user for ${app}`);
  return u;
};
const acme = partnerPermissions(perms, { name: 'acme' });
const beta = partnerPermissions(perms, { name: 'beta' });
/** The services with an NATS account of their own (results-distribution), and the admins of those accounts. */
const isolated = perms.accounts.isolated;
const isIsolated = (who: string): boolean => isolated.some((a) => a.service === who);
const users = [...Object.values(perms.services), acme, beta, perms.admin, perms.helmTest, ...isolated.map((a) => a.admin)];
/**
 * Passwords as tools/deploy/nats-credentials.sh makes them: a letter, then letters and digits. The NATS server parses
 * an environment variable's value as a config value, so a password starting with a digit (or `true`, `1e5`...) breaks it.
 */
const newPassword = (): string => `p${randomBytes(24).toString('hex')}`;
const passwords = Object.fromEntries(users.map((u) => [u.secretKey, newPassword()]));
const serviceEnv = Object.fromEntries(users.map((u) => [`PODIUM_NATS_${u.secretKey}`, passwords[u.secretKey] ?? '']));
const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { nats: { config: { merge: { max_payload: number } } } };
const DAY = 24 * 60 * 60 * 1000;

let server: StartedNatsServer | undefined;
let url: string;
/** How to start a server of the rendered configuration, with another environment. */
let serverOptions: (env: Record<string, string>) => StartNatsServerOptions;
let testScript: string;
let adminScript: string;
let adminEnv: Record<string, string>;
let scratch: string;
const open: NatsConnection[] = [];
const platforms: NatsConnectionService[] = [];

interface Session {
  nc: NatsConnection;
  /** Permission violations the server reported: `publish <subject>` / `subscription <subject>`. */
  violations: string[];
  jsm: () => Promise<JetStreamManager>;
}

/** The first contract subject of a stream: the key the test durables follow. */
function contractKey(stream: string): string {
  const key = Object.values(contractSubjects).find((d) => d.stream === stream)?.subject;
  if (!key) throw new Error(`no contract subject in ${stream}`);
  return key;
}

/** A concrete subject of that key (every token TEST): what the test durables receive. */
function testSubject(stream: string): string {
  return contractKey(stream).replace(/\{[^{}]+\}/g, 'TEST');
}

/** Pulls one message of a durable without acking it; returns the subject that would ack it (JetStream delivers with the stream subject: no mux). */
async function pullUnacked(nc: NatsConnection, stream: string, durable: string): Promise<string> {
  const msg = await nc.request(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`, sc.encode(JSON.stringify({ batch: 1, no_wait: true })), { timeout: 3000, noMux: true });
  if (!msg.reply) throw new Error(`no message waiting on ${stream}/${durable} (${msg.headers?.code ?? ''} ${msg.headers?.description ?? ''})`);
  return msg.reply;
}

async function login(user: UserPermissions, inboxPrefix = user.inboxPrefix): Promise<Session> {
  const nc = await connect({ servers: url, user: user.user, pass: passwords[user.secretKey], inboxPrefix });
  open.push(nc);
  const violations: string[] = [];
  void (async () => {
    for await (const status of nc.status()) {
      const context = status.permissionContext;
      if (status.type === 'error' && context) violations.push(`${context.operation} ${context.subject}`);
    }
  })();
  return { nc, violations, jsm: () => nc.jetstreamManager() };
}

/** Lets the server's answers (and -ERR) to what was sent arrive. */
async function settle(nc: NatsConnection): Promise<void> {
  await nc.flush();
  await new Promise((resolve) => setTimeout(resolve, 150));
}

/** A service's NATS connection as the platform makes it (NatsModule), declaring the given streams and consumers. */
async function platformConnection(app: string, declare: { streams: string[]; consumers: { stream: string; durable: string }[] }): Promise<NatsConnectionService> {
  const u = service(app);
  const consumers = declare.consumers.map((c) => ({ key: contractKey(c.stream), durable: c.durable }));
  const options = {
    servers: [url],
    name: app,
    user: u.user,
    pass: passwords[u.secretKey],
    prefix: '',
    streams: contractStreams.filter((s) => declare.streams.includes(s.name)),
    consumers,
    streamReplicas: 1,
    // In an account of its own, the streams it follows are the Job's mirrors (the chart sets NATS_DECLARE_STREAMS=false).
    declareStreams: !isIsolated(app),
    connectTimeoutMs: 5_000,
    reconnectTimeWaitMs: 1_000,
    requestTimeoutMs: 5_000,
    drainTimeoutMs: 2_000,
    deadLetterMaxAgeMs: 30 * DAY,
  } as unknown as ConstructorParameters<typeof NatsConnectionService>[0];
  const connection = new NatsConnectionService(options);
  platforms.push(connection);
  await connection.connect();
  return connection;
}

interface PodSpec {
  containers: { name: string; image?: string; args?: string[]; env?: { name: string; value?: string }[]; volumeMounts: { name: string; mountPath: string }[] }[];
  volumes: { name: string; configMap?: { name: string } }[];
}

function configMapData(objects: readonly K8sObject[], name: string, key: string): string {
  const value = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.['data'] as Record<string, string> | undefined)?.[key];
  if (!value) throw new Error(`the chart rendered no ConfigMap ${name} with ${key}`);
  return value;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'podium-nats-perms-'));
  const partnersFile = join(scratch, 'partners.yaml');
  writeFileSync(partnersFile, JSON.stringify({ messaging: { partners: [{ name: 'acme' }, { name: 'beta' }] } }));
  const rendered = helmTemplate(CHART_DIR, { valuesFiles: [partnersFile] });
  const nats = subchartObjects(rendered, 'nats');
  const natsConf = configMapData(nats, 'podium-nats-config', 'nats.conf');
  const authConf = configMapData(ownObjects(rendered), 'podium-nats-auth', 'auth.conf');
  const testPod = rendered.objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'podium-test-nats');
  const script = (testPod?.['spec'] as PodSpec | undefined)?.containers[0]?.args?.[0];
  if (!script) throw new Error('the chart did not render the NATS test pod');
  testScript = script;
  const job = rendered.objects.find((o) => o.kind === 'Job' && o.metadata.name === 'podium-jetstream-admin');
  const jobContainer = (job?.['spec'] as { template: { spec: PodSpec } } | undefined)?.template.spec.containers[0];
  if (!jobContainer?.args?.[0]) throw new Error('the chart did not render the jetstream-admin Job');
  adminScript = jobContainer.args[0];
  adminEnv = Object.fromEntries((jobContainer.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? '']));

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
  await Promise.all(platforms.map((p) => p.onApplicationShutdown().catch(() => undefined)));
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs the jetstream-admin Job's script as the Job does (its environment as rendered, `env` on top). */
function runAdminJob(env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-e', adminScript], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_PATH: join(WORKSPACE_ROOT, 'node_modules'),
      ...adminEnv,
      ...env,
      NATS_URL: url,
      NATS_PASSWORD: passwords[perms.admin.secretKey] ?? '',
      ...Object.fromEntries(isolated.map((a) => [`NATS_PASSWORD_${a.admin.secretKey}`, passwords[a.admin.secretKey] ?? ''])),
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const RESULT_SUBJECT = testSubject('RESULTS');
const SCHEDULE_SUBJECT = testSubject('SCHEDULES');
/** Another service's subject for a push consumer to deliver onto: results-ingest's request/reply intake. */
const VICTIM_SUBJECT = INGEST_RPC_SUBJECT;
/** Fixed durables of the services (from the generated grants). */
const fixedDurables = perms.consumers.flatMap((c) => (c.durables === 'any' ? [] : c.durables.map((durable) => ({ service: c.service, stream: c.stream, durable }))));

describe('the rendered NATS authorization on a real nats-server', () => {
  it('starts, and a missing password fails the server instead of opening it', async () => {
    expect(server?.url).toMatch(/^nats:\/\//);
    const { [`PODIUM_NATS_${acme.secretKey}`]: _omitted, ...withoutPartner } = serviceEnv;
    await expect(startNatsServer(serverOptions(withoutPartner))).rejects.toThrow(/PODIUM_NATS_PARTNER_ACME/);
  });

  it('cannot start with a password that begins with a digit (why the credentials script never makes one)', async () => {
    const env = { ...serviceEnv, [`PODIUM_NATS_${perms.admin.secretKey}`]: '1e5a2b3c4d' };
    await expect(startNatsServer(serverOptions(env))).rejects.toThrow(/PODIUM_NATS_JETSTREAM_ADMIN.*could not be parsed/);
  });

  it('has JetStream and the max_payload of the values (results-ingest publishes ODF messages up to 10 MB whole)', async () => {
    const { nc } = await login(perms.helmTest);
    expect(nc.info?.max_payload).toBe(values.nats.config.merge.max_payload);
    expect(nc.info?.jetstream).toBe(true);
  });

  it('refuses a wrong password', async () => {
    await expect(connect({ servers: url, user: acme.user, pass: 'wrong', timeout: 2000 })).rejects.toThrow(/Authorization Violation/i);
  });
});

describe('legitimate operations', () => {
  it('the jetstream-admin Job creates every stream with the contracts` settings and each partner`s durable, idempotently', async () => {
    const first = runAdminJob();
    expect(first.stderr).toBe('');
    for (const config of perms.streamConfigs) expect(first.stdout).toContain(`stream ${config.name}: created with 1 replicas`);
    expect(first.stdout).toContain('durable RESULTS/partner_acme of partner acme: created');
    expect(first.stdout).toContain('durable RESULTS/partner_beta of partner beta: created');
    for (const a of isolated) for (const m of a.mirrors) expect(first.stdout).toContain(`mirror ${a.account}/${m.name} of ${a.service}: created with 1 replicas`);
    expect(first.status).toBe(0);
    const again = runAdminJob();
    expect(again.stdout).toContain('stream RESULTS: unchanged (1 replicas)');
    expect(again.stdout).toContain('durable RESULTS/partner_acme of partner acme: exists');
    for (const a of isolated) for (const m of a.mirrors) expect(again.stdout).toContain(`mirror ${a.account}/${m.name} of ${a.service}: unchanged (1 replicas)`);
    expect(again.status).toBe(0);
    const jsm = await (await login(perms.admin)).jsm();
    expect((await jsm.consumers.info('RESULTS', acme.durable)).config).toEqual(
      expect.objectContaining({ ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: 'ods.results.v1.>' }),
    );
    await expect(jsm.streams.delete('RESULTS')).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.purge('RESULTS')).rejects.toThrow(/Permissions Violation/);
  });

  // After the Job: a service finds every stream as it would declare it (a difference would make it try STREAM.UPDATE,
  // which it may not: the Job's settings are the platform's).
  it.each(apps.filter((app) => !isIsolated(app)))('%s declares the streams it owns through the platform connection (its own inbox prefix)', async (app) => {
    const owned = perms.streams.filter((s) => s.owner === app).map((s) => s.name);
    const connection = await platformConnection(app, { streams: owned, consumers: [] });
    for (const name of owned) expect((await connection.manager.streams.info(name)).config.name).toBe(name);
    expect((await connection.manager.streams.info('DLQ')).config.subjects).toEqual(['dlq.>']);
  });

  it('volunteers deletes a message of its VOLUNTEERS stream through the platform connection (an erased applicant`s hand-over), the stream`s name from the platform`s naming', async () => {
    const connection = await platformConnection('volunteers', { streams: ['VOLUNTEERS'], consumers: [] });
    const stream = connection.naming.name('VOLUNTEERS');
    const ack = await connection.jetstream.publish(connection.naming.subject('oms.volunteers.v1.volunteer.TEST.confirmed'), sc.encode('{}'));
    expect(ack.stream).toBe(stream);
    await expect(connection.manager.streams.deleteMessage(stream, ack.seq)).resolves.toBe(true);
    // Gone: deleting it again is answered (not refused), which the service's sweeper takes as done.
    await expect(connection.manager.streams.deleteMessage(stream, ack.seq)).rejects.toThrow(/no message found|sequence \d+ not found/);
  });

  it.each(isolated.map((a) => [a.service, a] as const))('%s finds in its own account the mirrors of the streams it follows, and declares none', async (app, account) => {
    const connection = await platformConnection(app, { streams: [], consumers: [] });
    for (const m of account.mirrors) {
      expect((await connection.manager.streams.info(m.name)).config.mirror).toEqual(
        expect.objectContaining({ name: m.name, external: expect.objectContaining({ api: account.api, deliver: m.deliver }) }),
      );
    }
  });

  it('the platform connection without the service`s inbox prefix gets no JetStream answer (the shared _INBOX is closed)', async () => {
    const { nc, violations } = await login(service('schedules'), '_INBOX');
    await expect(nc.jetstreamManager({ timeout: 2000 })).rejects.toThrow(/Permissions Violation/);
    await settle(nc);
    expect(violations.some((v) => v.startsWith('subscription _INBOX.'))).toBe(true);
  });

  it.each(fixedDurables.map((d) => [d.service, d.durable, d.stream] as const))(
    '%s declares its durable %s on %s through the platform connection, consumes and acks it',
    async (app, durable, stream) => {
      const connection = await platformConnection(app, { streams: [], consumers: [{ stream, durable }] });
      const owner = perms.streams.find((s) => s.name === stream)?.owner ?? '';
      if (!apps.includes(owner)) {
        // The stream's owner is not built yet (workforce): the chart deploys no user that may publish on it, so there is
        // nothing to consume; the durable is declared, readable, and a fetch is allowed (an empty batch, not a violation).
        const consumer = await connection.jetstream.consumers.get(stream, durable);
        let got = 0;
        for await (const m of await consumer.fetch({ max_messages: 1, expires: 1000 })) got += m ? 1 : 0;
        expect(got).toBe(0);
        expect((await connection.manager.consumers.info(stream, durable)).name).toBe(durable);
        return;
      }
      const publisher = await login(service(owner));
      await publisher.nc.jetstream().publish(testSubject(stream), sc.encode('{}'));
      const consumer = await connection.jetstream.consumers.get(stream, durable);
      const messages = await consumer.fetch({ max_messages: 1, expires: 2000 });
      let got = 0;
      for await (const m of messages) {
        got++;
        await m.ackAck();
      }
      expect(got).toBe(1);
      expect((await connection.manager.consumers.info(stream, durable)).num_ack_pending).toBe(0);
    },
  );

  it('results-distribution follows its mirrors (the main account`s sequences) with its own durables and ordered consumers, and dead-letters into the main DLQ', async () => {
    const ingest = await login(service('results-ingest'));
    const published = await ingest.nc.jetstream().publish(RESULT_SUBJECT, sc.encode('{"n":1}'));
    const connection = await platformConnection('results-distribution', { streams: [], consumers: [] });
    await waitFor(async () => (await connection.manager.streams.info('RESULTS')).state.last_seq >= published.seq, {
      timeoutMs: 10_000,
      description: 'the RESULTS mirror has the message',
    });
    const durable = 'results-distribution-results-test-pod-1';
    await connection.manager.consumers.add('RESULTS', {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'ods.results.v1.>',
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: published.seq,
    });
    const messages = await (await connection.jetstream.consumers.get('RESULTS', durable)).fetch({ max_messages: 1, expires: 2000 });
    const seen: [string, number][] = [];
    for await (const m of messages) {
      seen.push([m.subject, m.seq]);
      await m.ackAck();
    }
    expect(seen).toEqual([[RESULT_SUBJECT, published.seq]]);
    const ordered = await connection.jetstream.consumers.get('RESULTS', { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: published.seq });
    const page = await ordered.fetch({ max_messages: 1, expires: 2000 });
    const read: number[] = [];
    for await (const m of page) read.push(m.seq);
    expect(read).toEqual([published.seq]);
    await ordered.delete();
    await connection.manager.consumers.delete('RESULTS', durable);
    await expect(connection.manager.consumers.info('RESULTS', durable)).rejects.toThrow(/consumer not found/);
    // Its dead letters: published in its account, stored (and acknowledged) by the main account's DLQ.
    const before = (await (await (await login(perms.admin)).jsm()).streams.info('DLQ')).state.last_seq;
    const dead = await connection.jetstream.publish(`dlq.results-distribution.${RESULT_SUBJECT}`, sc.encode('{}'));
    expect(dead.stream).toBe('DLQ');
    expect((await (await (await login(perms.admin)).jsm()).streams.info('DLQ')).state.last_seq).toBe(before + 1);
  });

  it('the jetstream-admin Job applies a change of the contracts a service may not, and refuses one JetStream cannot make', async () => {
    const changed = perms.streamConfigs.map((c) => (c.name === 'RESULTS' ? { ...c, description: `${c.description} (changed)`, max_age: 90 * DAY * 1e6 } : c));
    // The service declaring RESULTS with the new settings could not apply them itself: its boot fails, naming why.
    const owner = perms.streams.find((s) => s.name === 'RESULTS')?.owner ?? '';
    const update = runAdminJob({ STREAM_CONFIGS: JSON.stringify(changed) });
    expect(update.stdout).toContain('stream RESULTS: updated (description, max_age)');
    expect(update.status).toBe(0);
    const jsm = await (await login(perms.admin)).jsm();
    expect((await jsm.streams.info('RESULTS')).config).toEqual(expect.objectContaining({ max_age: 90 * DAY * 1e6, description: expect.stringContaining('(changed)') }));
    await expect(platformConnection(owner, { streams: ['RESULTS'], consumers: [] })).rejects.toThrow(
      /Cannot declare stream RESULTS: .*Permissions Violation for Publish to "\$JS\.API\.STREAM\.UPDATE\.RESULTS"/,
    );
    const back = runAdminJob();
    expect(back.stdout).toContain('stream RESULTS: updated (description, max_age)');
    expect((await platformConnection(owner, { streams: ['RESULTS'], consumers: [] })).isConnected).toBe(true);
    const immutable = runAdminJob({ STREAM_CONFIGS: JSON.stringify(perms.streamConfigs.map((c) => (c.name === 'RESULTS' ? { ...c, storage: 'memory' } : c))) });
    expect(immutable.status).toBe(1);
    expect(immutable.stderr).toContain('stream RESULTS exists with a different storage, which JetStream cannot change in place');
  });

  it('the jetstream-admin Job fails with a wrong password', () => {
    const result = spawnSync(process.execPath, ['-e', adminScript], {
      env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(WORKSPACE_ROOT, 'node_modules'), ...adminEnv, NATS_URL: url, NATS_PASSWORD: 'wrong' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('jetstream-admin failed');
  });

  it('partner A reads and acks its own durable, and subscribes to the public results', async () => {
    const a = await login(acme);
    const live: string[] = [];
    a.nc.subscribe('ods.results.v1.>', { callback: (_err, msg) => live.push(msg.subject) });
    await a.nc.flush();
    const ingest = await login(service('results-ingest'));
    await ingest.nc.jetstream().publish(RESULT_SUBJECT, sc.encode('{"n":2}'));
    const consumer = await a.nc.jetstream().consumers.get('RESULTS', acme.durable);
    const messages = await consumer.fetch({ max_messages: 10, expires: 1500 });
    let got = 0;
    for await (const m of messages) {
      got++;
      await m.ackAck();
    }
    expect(got).toBeGreaterThanOrEqual(2);
    expect((await consumer.info()).num_ack_pending).toBe(0);
    await settle(a.nc);
    expect(live).toContain(RESULT_SUBJECT);
    expect(a.violations).toEqual([]);
  });
});

describe('the built services on the rendered authorization', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
  });

  it('results-ingest publishes a result and results-distribution, in its own account, takes it in from its mirror', async () => {
    const credentials = (app: string): Record<string, string> => ({ NATS_USER: service(app).user, NATS_PASSWORD: passwords[service(app).secretKey] ?? '' });
    const key = 'perms-venue-key-0123456789abcdef';
    const ingest = await startServiceProcess({
      service: 'results-ingest',
      nats: { url, prefix: '' },
      env: { ...credentials('results-ingest'), INGEST_API_KEYS: JSON.stringify({ [key]: '*' }) },
    });
    running.push(ingest);
    // As the chart runs it: NATS_DECLARE_STREAMS=false, the streams it follows being the Job's mirrors.
    const distribution = await startServiceProcess({
      service: 'results-distribution',
      nats: { url, prefix: '' },
      env: { ...credentials('results-distribution'), NATS_DECLARE_STREAMS: 'false', INSTANCE_ID: 'perms' },
    });
    running.push(distribution);
    const sent = await ingest.request('/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-api-key': key },
      body: makeResultMessage({ rsc: 'ATHM100M--------------FNL-000100--', version: 1, source: 'PERMS' }).xml,
    });
    expect(sent.status).toBe(200);
    const { streamSeq } = (await sent.json()) as { streamSeq: number };
    expect(streamSeq).toBeGreaterThan(0);
    const taken = async (): Promise<number> => {
      const text = await (await distribution.request('/metrics')).text();
      return Number(/^results_distribution_stream_sequence\{[^}]*stream="results"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    await waitFor(async () => (await taken()) >= streamSeq, { timeoutMs: 15_000, description: 'results-distribution took the result in' });
    expect(await distribution.ready()).toBe(true);
    expect(distribution.logs()).not.toMatch(/Permissions Violation/);
    expect(ingest.logs()).not.toMatch(/Permissions Violation/);
  });
});

describe('an attacker holding one credential', () => {
  /** Partner B's durable with one message delivered and not acked, and the subject that would ack it. */
  let betaAck: string;
  /** results-ingest's durable on SCHEDULES, likewise. */
  let ingestAck: string;
  let admin: Session;
  let ingestSession: Session;

  beforeAll(async () => {
    admin = await login(perms.admin);
    betaAck = await pullUnacked((await login(beta)).nc, 'RESULTS', beta.durable);
    const ingestDurable = fixedDurables.find((d) => d.service === 'results-ingest');
    if (!ingestDurable) throw new Error('results-ingest has no fixed durable');
    const schedules = await login(service('schedules'));
    await schedules.nc.jetstream().publish(SCHEDULE_SUBJECT, sc.encode('{}'));
    ingestSession = await login(service('results-ingest'));
    ingestAck = await pullUnacked(ingestSession.nc, ingestDurable.stream, ingestDurable.durable);
    expect(betaAck).toMatch(/^\$JS\.ACK\.RESULTS\.partner_beta\./);
    expect(ingestAck).toMatch(/^\$JS\.ACK\.SCHEDULES\.results-ingest-schedule-units\./);
  });

  const resultsState = async (): Promise<{ maxMsgs: number; messages: number }> => {
    const info = await (await admin.jsm()).streams.info('RESULTS');
    return { maxMsgs: info.config.max_msgs, messages: info.state.messages };
  };
  const betaState = async (): Promise<{ delivered: number; ackPending: number }> => {
    const info = await (await admin.jsm()).consumers.info('RESULTS', beta.durable);
    return { delivered: info.delivered.consumer_seq, ackPending: info.num_ack_pending };
  };
  const ingestState = async (): Promise<{ delivered: number; ackPending: number }> => {
    const info = await (await ingestSession.jsm()).consumers.info('SCHEDULES', 'results-ingest-schedule-units');
    return { delivered: info.delivered.consumer_seq, ackPending: info.num_ack_pending };
  };

  const attackers: [string, UserPermissions][] = [...apps.map((a): [string, UserPermissions] => [a, service(a)]), ['partner acme', acme]];

  it.each(attackers)('%s cannot rewrite RESULTS (max_msgs 1 by STREAM.UPDATE, or by STREAM.CREATE over it)', async (_who, user) => {
    const before = await resultsState();
    const jsm = await (await login(user)).jsm();
    await expect(jsm.streams.update('RESULTS', { max_msgs: 1 })).rejects.toThrow(/Permissions Violation|stream name already in use|not found/);
    await expect(jsm.streams.add({ name: 'RESULTS', subjects: ['ods.results.v1.>'], max_msgs: 1 })).rejects.toThrow(
      /Permissions Violation|stream name already in use with a different configuration/,
    );
    expect(await resultsState()).toEqual(before);
    expect(before.maxMsgs).toBe(-1);
    expect(before.messages).toBeGreaterThan(1);
  });

  /** Messages of a stream, as the jetstream-admin user sees them (its STREAM.INFO). */
  const messagesOf = async (stream: string): Promise<number> => (await (await admin.jsm()).streams.info(stream)).state.messages;

  it.each(attackers)('%s cannot delete a message of RESULTS (STREAM.MSG.DELETE), volunteers with its grant on VOLUNTEERS included', async (_who, user) => {
    const before = await messagesOf('RESULTS');
    const jsm = await (await login(user)).jsm();
    await expect(jsm.streams.deleteMessage('RESULTS', 1)).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.deleteMessage('SCHEDULES', 1)).rejects.toThrow(/Permissions Violation/);
    expect(await messagesOf('RESULTS')).toBe(before);
    expect(before).toBeGreaterThan(1);
  });

  it.each(attackers.filter(([who]) => who !== 'volunteers'))('%s cannot delete a message of VOLUNTEERS (volunteers` grant only)', async (_who, user) => {
    const volunteers = await login(service('volunteers'));
    const ack = await volunteers.nc.jetstream().publish('oms.volunteers.v1.volunteer.TEST.confirmed', sc.encode('{}'));
    const before = await messagesOf('VOLUNTEERS');
    const jsm = await (await login(user)).jsm();
    await expect(jsm.streams.deleteMessage('VOLUNTEERS', ack.seq)).rejects.toThrow(/Permissions Violation/);
    expect(await messagesOf('VOLUNTEERS')).toBe(before);
  });

  // A service in an account of its own may name any consumer of its mirrors: another principal's name there is no
  // consumer of the main account (the server answers "consumer not found" instead of a permissions violation).
  const refused = (who: string): RegExp => (isIsolated(who) ? /consumer not found/ : /Permissions Violation/);

  it.each(attackers)('%s cannot delete another principal`s durable (partner B`s, a service`s)', async (who, user) => {
    const jsm = await (await login(user)).jsm();
    await expect(jsm.consumers.delete('RESULTS', beta.durable)).rejects.toThrow(refused(who));
    const victim = fixedDurables.find((d) => d.service !== who);
    if (!victim) throw new Error('no other service with a fixed durable');
    await expect(jsm.consumers.delete(victim.stream, victim.durable)).rejects.toThrow(refused(who));
    const main = await admin.jsm();
    expect((await main.consumers.info('RESULTS', beta.durable)).name).toBe(beta.durable);
    await expect((await (await login(service(victim.service))).jsm()).consumers.info(victim.stream, victim.durable)).resolves.toMatchObject({ name: victim.durable });
  });

  it.each(attackers)('%s cannot read partner B`s durable (MSG.NEXT) nor ack its messages', async (who, user) => {
    const before = await betaState();
    const session = await login(user);
    const inbox = `${user.inboxPrefix}.steal`;
    const stolen: string[] = [];
    session.nc.subscribe(inbox, { callback: (_err, msg) => stolen.push(msg.subject) });
    session.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.RESULTS.${beta.durable}`, sc.encode(JSON.stringify({ batch: 5, expires: 500_000_000 })), { reply: inbox });
    session.nc.publish(betaAck, sc.encode('+ACK'));
    await settle(session.nc);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(stolen).toEqual([]);
    // In an account of its own the same subjects name its mirror's consumers (none by that name): nothing reaches B's.
    if (!isIsolated(who)) {
      expect(session.violations).toEqual(expect.arrayContaining([`publish $JS.API.CONSUMER.MSG.NEXT.RESULTS.${beta.durable}`, `publish ${betaAck}`]));
    }
    expect(await betaState()).toEqual(before);
    expect(before.ackPending).toBe(1);
  });

  it.each(attackers.filter(([who]) => who !== 'results-ingest'))('%s cannot ack a message of results-ingest`s durable', async (who, user) => {
    const before = await ingestState();
    const session = await login(user);
    session.nc.publish(ingestAck, sc.encode('+ACK'));
    await settle(session.nc);
    if (!isIsolated(who)) expect(session.violations).toContain(`publish ${ingestAck}`);
    expect(await ingestState()).toEqual(before);
    expect(before.ackPending).toBe(1);
  });

  it.each(attackers.filter(([who]) => !isIsolated(who)))(
    '%s cannot create a push consumer delivering RESULTS onto another service`s subject (results-ingest`s intake)',
    async (_who, user) => {
      const jsm = await (await login(user)).jsm();
      for (const durable of ['evil', 'partner_acme', 'entries-schedule-events']) {
        await expect(
          jsm.consumers.add('RESULTS', { durable_name: durable, deliver_subject: VICTIM_SUBJECT, ack_policy: AckPolicy.None, filter_subject: 'ods.results.v1.>' }),
        ).rejects.toThrow(/Permissions Violation/);
      }
      // Its own durable, where it has one, cannot be turned into a push consumer either: the server refuses to change a
      // pull consumer into a push one, and the service may not delete it to create it anew.
      const own = fixedDurables.find((d) => d.service === user.user);
      if (own) {
        for (const push of [
          { deliver_subject: VICTIM_SUBJECT, ack_policy: AckPolicy.Explicit },
          { deliver_subject: VICTIM_SUBJECT, ack_policy: AckPolicy.Explicit, max_waiting: 512 },
        ]) {
          await expect(jsm.consumers.add(own.stream, { durable_name: own.durable, ...push })).rejects.toThrow(/can not|push|pull|deliver/i);
        }
        await expect(jsm.consumers.delete(own.stream, own.durable)).rejects.toThrow(/Permissions Violation/);
        expect((await jsm.consumers.info(own.stream, own.durable)).config.deliver_subject).toBeUndefined();
      }
    },
  );

  it.each(isolated.map((a) => [a.service, a] as const))(
    '%s, which names its consumers at run time in an account of its own, has nothing delivered onto another service`s subject',
    async (app, account) => {
      // NATS checks a consumer's deliver subject against no permission of its creator (nats-server issue #8274): in its
      // own account it may make a push consumer delivering anywhere, but there is no one there to deliver to.
      const rd = await login(service(app));
      const jsm = await rd.jsm();
      expect((await jsm.streams.info('RESULTS')).state.messages).toBeGreaterThan(0);
      const victim = await login(service('results-ingest'));
      const intake: string[] = [];
      victim.nc.subscribe(VICTIM_SUBJECT, { callback: (_err, msg) => intake.push(msg.subject) });
      await victim.nc.flush();
      // In one account with it, results-ingest's intake would receive every RESULTS message (seen with the chart's
      // configuration before results-distribution had an account of its own).
      const durable = 'results-distribution-push';
      const info = await jsm.consumers.add('RESULTS', { durable_name: durable, deliver_subject: VICTIM_SUBJECT, ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All });
      expect(info.config.deliver_subject).toBe(VICTIM_SUBJECT);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(intake).toEqual([]);
      await jsm.consumers.delete('RESULTS', durable);
      // The main account's JetStream API its account imports for the mirrors is not its to call, and it makes no stream
      // (a mirror of its own would have the main account deliver where it says).
      rd.nc.publish(`${account.api}.CONSUMER.CREATE.RESULTS`, sc.encode(JSON.stringify({ stream_name: 'RESULTS', config: { deliver_subject: VICTIM_SUBJECT } })));
      await settle(rd.nc);
      expect(rd.violations).toContain(`publish ${account.api}.CONSUMER.CREATE.RESULTS`);
      await expect(jsm.streams.add({ name: 'EVIL', mirror: { name: 'RESULTS', external: { api: account.api, deliver: VICTIM_SUBJECT } } })).rejects.toThrow(
        /Permissions Violation/,
      );
      await settle(victim.nc);
      expect(intake).toEqual([]);
    },
  );

  it.each(attackers)('%s cannot read the shared _INBOX.> nor another user`s inbox', async (who, user) => {
    const session = await login(user);
    const otherApp = apps.find((a) => a !== who) ?? '';
    const targets = ['_INBOX.>', `${service(otherApp).inboxPrefix}.>`, `${beta.inboxPrefix}.>`, '>'];
    const received: string[] = [];
    for (const subject of targets) session.nc.subscribe(subject, { callback: (err, msg) => (err ? undefined : received.push(msg.subject)) });
    await settle(session.nc);
    // The other service and partner B get replies on their inboxes meanwhile: none reaches the attacker.
    const other = await login(service(otherApp));
    await (await other.jsm()).getAccountInfo();
    const b = await login(beta);
    await (await b.jsm()).getAccountInfo();
    await settle(session.nc);
    expect(received).toEqual([]);
    expect(session.violations).toEqual(expect.arrayContaining(targets.map((t) => `subscription ${t}`)));
  });

  it('partner A cannot create, update or delete a consumer of its own, nor read another stream', async () => {
    const a = await login(acme);
    const jsm = await a.jsm();
    await expect(jsm.consumers.add('RESULTS', { durable_name: acme.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New })).rejects.toThrow(
      /Permissions Violation/,
    );
    await expect(jsm.consumers.delete('RESULTS', acme.durable)).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.consumers.add('SCHEDULES', { durable_name: 'partner', ack_policy: AckPolicy.Explicit })).rejects.toThrow(/Permissions Violation/);
    a.nc.subscribe('oms.schedules.v1.>');
    await settle(a.nc);
    expect(a.violations).toContain('subscription oms.schedules.v1.>');
    expect((await (await admin.jsm()).consumers.info('RESULTS', acme.durable)).config.deliver_policy).toBe(DeliverPolicy.All);
  });

  it.each(apps)('%s publishes its own events only, and its dead letters only', async (app) => {
    const user = service(app);
    const { nc } = await login(user);
    const js = nc.jetstream();
    const ownSubjects = user.publish.allow.filter((s) => !s.startsWith('$') && !s.startsWith('dlq.'));
    for (const stream of perms.streams.filter((s) => s.owner === app)) {
      // A concrete subject of one of the service's contract subjects in this stream (tokens filled in).
      const pattern = ownSubjects.find((p) => stream.subjects.some((f) => filterWithin(p, f)));
      if (pattern) expect((await js.publish(pattern.replace(/\*/g, 'TEST'), sc.encode('{}'))).stream).toBe(stream.name);
      // Inside its own stream, a subject the contracts do not declare is refused too.
      await expect(js.publish((stream.subjects[0] ?? '').replace('>', 'undeclared.a.b.c.d.e'), sc.encode('{}'), { timeout: 2000 })).rejects.toThrow(
        /Permissions Violation/,
      );
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

  it('the services` and partners` durables are all still there, untouched', async () => {
    const jsm = await admin.jsm();
    for (const p of [acme, beta]) expect((await jsm.consumers.info('RESULTS', p.durable)).config.deliver_subject).toBeUndefined();
    for (const d of fixedDurables) {
      const connection = await platformConnection(d.service, { streams: [], consumers: [] });
      expect((await connection.manager.consumers.info(d.stream, d.durable)).config.deliver_subject).toBeUndefined();
    }
  });
});

describe('helm test', () => {
  it('passes the request/reply script', () => {
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

  it('fails the script with a wrong password', () => {
    const result = spawnSync(process.execPath, ['-e', testScript], {
      env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(WORKSPACE_ROOT, 'node_modules'), NATS_URL: url, NATS_PASSWORD: 'wrong' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('NATS test failed');
  });
});
