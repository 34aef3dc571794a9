/**
 * followResults against real NATS: the durable resumes where it stopped (none missed, none repeated), invalid messages
 * go to onInvalid and are terminated without stopping the loop, a failed handler gets its result again; and with the
 * partner's permissions exactly as the chart renders them (charts/podium/files/nats-permissions.json) on a nats-server
 * of its own: the partner reads and acks the durable the jetstream-admin Job declares, and can create no consumer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelopeFor, resultsDocumentPublished, resultsEventId, resultsSubjectOf, type ResultsMessage, syntheticResultsData } from '@podium/contracts';
import { makeResultMessage } from '@podium/odf-message';
import { createTestNats, startNatsServer, type StartedNatsServer, type TestNats, waitFor } from '@podium/test-servers';
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from 'nats';
import { connectPartner, followResults, PartnerSdkError, type PartnerConnection, type ResultDelivery } from './index';

const UNIT = 'ATHM100M--------------FNL-000100--';
const SWIM = 'SWMW100MFR------------FNL-000100--';
const doc = (rsc: string, version: number): ResultsMessage => syntheticResultsData(makeResultMessage({ rsc, version }).json);

/** Publishes a result as results-ingest does (contract envelope, Nats-Msg-Id); returns its stream sequence. */
async function publish(nc: NatsConnection, prefix: string, data: ResultsMessage): Promise<number> {
  const id = resultsEventId(data.documentKey, data.version);
  const envelope = envelopeFor(resultsDocumentPublished.subject, data as never, { id });
  const ack = await nc.jetstream().publish(`${prefix}${resultsSubjectOf(data)}`, JSON.stringify(envelope), { msgID: id });
  return ack.seq;
}

describe('followResults on a shared NATS (no authorization, as npm start)', () => {
  let nats: TestNats;
  let admin: NatsConnection;
  const connections: PartnerConnection[] = [];
  const partner = async (): Promise<PartnerConnection> => {
    const c = await connectPartner({ servers: nats.url, user: 'partner-it', prefix: nats.prefix });
    connections.push(c);
    return c;
  };

  beforeAll(async () => {
    nats = await createTestNats();
    admin = await connect({ servers: nats.url });
    await (await admin.jetstreamManager()).streams.add({ name: `${nats.namePrefix}RESULTS`, subjects: [`${nats.prefix}ods.results.v1.>`], duplicate_window: 60_000_000_000 });
  });
  afterAll(async () => {
    for (const c of connections) await c.close().catch(() => undefined);
    await nats.cleanup();
    await admin.close();
  });

  it('resumes its durable where it stopped; invalid and filtered-out messages never stop it', async () => {
    const connection = await partner();
    await expect(followResults({ connection, filter: { discipline: 'ATH' } })).rejects.toMatchObject({ code: 'consumer-not-found' });

    const seen: ResultDelivery[] = [];
    const invalid: { seq: number; reason: string; fields: string[] }[] = [];
    const options = {
      filter: { discipline: 'ATH' },
      create: true,
      handler: (r: ResultDelivery) => void seen.push(r),
      onInvalid: (bad: { seq: number; reason: string; errors: { field: string }[] }) => void invalid.push({ seq: bad.seq, reason: bad.reason, fields: bad.errors.map((e) => e.field) }),
    };
    const a = await publish(admin, nats.prefix, doc(UNIT, 1));
    let follower = await followResults({ connection, ...options });
    expect(follower.durable).toBe('partner_it');
    await waitFor(() => seen.length === 1);
    await follower.stop();

    // While it is away: a result, a swimming result (outside its filter), bad JSON and a payload the contract refuses.
    const b = await publish(admin, nats.prefix, doc(UNIT, 2));
    await publish(admin, nats.prefix, doc(SWIM, 1));
    const notJson = (await admin.jetstream().publish(`${nats.prefix}ods.results.v1.ATH.${UNIT}.DT_RESULT`, 'not json')).seq;
    const wrong = envelopeFor(resultsDocumentPublished.subject, doc(UNIT, 3) as never);
    const refused = (await admin.jetstream().publish(`${nats.prefix}ods.results.v1.ATH.${UNIT}.DT_RESULT`, JSON.stringify({ ...wrong, data: { ...wrong.data, version: -1 } }))).seq;
    const c = await publish(admin, nats.prefix, doc(UNIT, 4));

    follower = await followResults({ connection: await partner(), ...options });
    await waitFor(() => seen.length === 3 && invalid.length === 2);
    await follower.stop();
    expect(seen.map((r) => r.seq)).toEqual([a, b, c]);
    expect(seen.map((r) => r.data.version)).toEqual([1, 2, 4]);
    expect(seen.every((r) => r.deliveryCount === 1 && r.data.documentCode === UNIT)).toBe(true);
    expect(invalid[0]).toMatchObject({ seq: notJson, fields: [] });
    expect(invalid[0]?.reason).toMatch(/^not JSON/);
    expect(invalid[1]).toMatchObject({ seq: refused, fields: ['data.version'] });

    // Nothing is left to deliver: a third start gets nothing old.
    // (terminations travel on the partner's connection, this reads on another: they may arrive a moment later)
    await waitFor(async () => {
      const info = await (await admin.jetstreamManager()).consumers.info(`${nats.namePrefix}RESULTS`, 'partner_it');
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.num_redelivered === 0;
    }, { description: 'nothing pending, unacked or redelivered on partner_it' });
  });

  it('iterates: a result is acked when the loop asks for the next one; one left by a break comes again', async () => {
    const connection = await partner();
    const stream = `${nats.namePrefix}RESULTS`;
    const first = await publish(admin, nats.prefix, doc(UNIT, 10));
    const second = await publish(admin, nats.prefix, doc(UNIT, 11));
    const seqs: number[] = [];
    for await (const r of await followResults({ connection, durable: 'iterator_it', create: true, filter: { rsc: UNIT }, retryDelayMs: 0 })) {
      seqs.push(r.seq);
      if (r.seq === second) break; // handled `first` (acked when asking for `second`), left `second`
    }
    expect(seqs.slice(-2)).toEqual([first, second]);
    const again: ResultDelivery[] = [];
    const follower = await followResults({ connection, durable: 'iterator_it', filter: { rsc: UNIT }, retryDelayMs: 0, handler: (r) => void again.push(r) });
    await waitFor(() => again.some((r) => r.seq === second), { timeoutMs: 15_000 });
    await follower.stop();
    expect(again.map((r) => r.seq)).not.toContain(first);
    await (await admin.jetstreamManager()).consumers.delete(stream, 'iterator_it');
  });

  it('gives a result whose handler threw again, and reports the error', async () => {
    const connection = await partner();
    const seq = await publish(admin, nats.prefix, doc(UNIT, 20));
    const attempts: number[] = [];
    const errors: unknown[] = [];
    const follower = await followResults({
      connection,
      durable: 'retry_it',
      create: true,
      filter: { rsc: UNIT, documentType: 'DT_RESULT' },
      retryDelayMs: 50,
      handler: (r) => {
        if (r.seq !== seq) return;
        attempts.push(r.deliveryCount);
        if (attempts.length === 1) throw new Error('database down');
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(() => attempts.length === 2);
    await follower.stop();
    expect(attempts).toEqual([1, 2]);
    expect(String(errors[0])).toMatch(/database down/);
  });
});

describe('followResults as a partner with the permissions the chart renders', () => {
  let server: StartedNatsServer;
  const template = JSON.parse(readFileSync(join(__dirname, '../../../charts/podium/files/nats-permissions.json'), 'utf8')) as {
    partner: { user: string; durable: string; publish: { allow: string[]; deny: string[] }; subscribe: { allow: string[]; deny: string[] } };
  };
  const fill = (s: string): string => s.split('{partner}').join('acme');
  const acme = {
    user: fill(template.partner.user),
    durable: fill(template.partner.durable),
    publish: { allow: template.partner.publish.allow.map(fill), deny: template.partner.publish.deny.map(fill) },
    subscribe: { allow: template.partner.subscribe.allow.map(fill), deny: template.partner.subscribe.deny.map(fill) },
  };
  let admin: NatsConnection;
  const open: PartnerConnection[] = [];

  beforeAll(async () => {
    server = await startNatsServer({
      config: [
        'jetstream { store_dir: "js" }',
        `authorization { users: [ { user: admin, password: admin }, { user: "${acme.user}", password: acmepass, permissions: ${JSON.stringify({ publish: acme.publish, subscribe: acme.subscribe })} } ] }`,
      ].join('\n'),
    });
    admin = await connect({ servers: server.url, user: 'admin', pass: 'admin' });
    const jsm = await admin.jetstreamManager();
    await jsm.streams.add({ name: 'RESULTS', subjects: ['ods.results.v1.>'] });
    // As the jetstream-admin Job declares it (docs/deployment.md#partners-over-nats).
    await jsm.consumers.add('RESULTS', { durable_name: acme.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: 'ods.results.v1.>' });
  });
  afterAll(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await admin?.close();
    await server?.stop();
  });

  it('reads and acks its own durable, resumes it, and cannot create a consumer', async () => {
    await expect(connectPartner({ servers: server.url, user: acme.user, pass: 'wrong' })).rejects.toMatchObject({ code: 'connection-failed' });
    const connection = await connectPartner({ servers: server.url, user: acme.user, pass: 'acmepass' });
    open.push(connection);
    expect(connection.durable).toBe('partner_acme');
    const a = await publish(admin, '', doc(UNIT, 1));
    const seen: number[] = [];
    let follower = await followResults({ connection, handler: (r) => void seen.push(r.seq) });
    await waitFor(() => seen.length === 1);
    await follower.stop();
    const b = await publish(admin, '', doc(UNIT, 2));
    follower = await followResults({ connection, filter: { discipline: 'ATH' }, handler: (r) => void seen.push(r.seq) });
    await waitFor(() => seen.length === 2);
    await follower.stop();
    expect(seen).toEqual([a, b]);

    const denied = followResults({ connection, durable: 'partner_acme2', create: true });
    await expect(denied).rejects.toBeInstanceOf(PartnerSdkError);
    await expect(denied).rejects.toMatchObject({ code: 'permission-denied' });
    const consumers = await (await admin.jetstreamManager()).consumers.list('RESULTS').next();
    expect(consumers.map((c) => c.name)).toEqual(['partner_acme']);
  });
});
