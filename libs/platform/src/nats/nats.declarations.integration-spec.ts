/**
 * Stream replicas (NATS_STREAM_REPLICAS) against real servers: a 3-server JetStream cluster on loopback
 * (@podium/test-servers' startNatsCluster: nats-server 2.9 processes) and the single server of the integration tests.
 */
import { resultsStream } from '@podium/contracts';
import { randomBytes } from 'node:crypto';
import { type ClusterInfo, connect, type JetStreamManager, type NatsConnection } from 'nats';
import { createTestNats, type NatsCluster, startNatsCluster, type TestNats, waitFor } from '@podium/test-servers';
import { consumerTarget, ensureConsumer, ensureStream, streamConfig } from './nats.declarations';
import { NatsNaming } from './nats.naming';

describe('stream replicas on a JetStream cluster', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    nc = await connect({ servers: [...cluster.servers] });
    jsm = await nc.jetstreamManager();
  });
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('creates a stream with NATS_STREAM_REPLICAS copies, raises an R1 stream to R3 in place (messages and consumers with it), never lowers it', async () => {
    const naming = new NatsNaming(`r${randomBytes(3).toString('hex')}.`);
    const one = streamConfig(resultsStream, naming, 1);
    const three = streamConfig(resultsStream, naming, 3);

    await expect(ensureStream(jsm, one)).resolves.toBe('created');
    expect((await jsm.streams.info(one.name)).config.num_replicas).toBe(1);
    const js = nc.jetstream();
    for (let i = 0; i < 5; i++) await js.publish(naming.subject(`ods.results.v1.ATH.X${i}.DT_RESULT`), `{"n":${i}}`);
    const target = consumerTarget({ key: 'ods.results.v1.{discipline}.{rsc}.{documentType}', durable: 'replicas-it' }, naming);
    await expect(ensureConsumer(jsm, target)).resolves.toBe('created');

    // Deployed again with NATS_STREAM_REPLICAS=3: the same stream, now on every server.
    await expect(ensureStream(jsm, three)).resolves.toBe('updated');
    // Copied onto the two other servers: a leader and two current followers (the leader is elected again first).
    const raised = await waitFor(
      async () => {
        const info = await jsm.streams.info(three.name);
        return onThreeServers(info.cluster) ? info : undefined;
      },
      { timeoutMs: 20_000, description: 'the stream on three servers' },
    );
    expect(raised?.config.num_replicas).toBe(3);
    expect(raised?.state.messages).toBe(5);
    // The durable inherits the stream's replicas (num_replicas 0) and moves with it.
    await waitFor(async () => onThreeServers((await jsm.consumers.info(target.stream, target.config.durable_name ?? '')).cluster), {
      timeoutMs: 20_000,
      description: 'the durable on three servers',
    });
    await expect(ensureStream(jsm, three)).resolves.toBe('unchanged');

    // A service still configured with 1 neither lowers it nor takes turns with the others.
    await expect(ensureStream(jsm, one)).resolves.toBe('unchanged');
    await expect(ensureStream(jsm, { ...one, description: 'changed' })).resolves.toBe('updated');
    expect((await jsm.streams.info(one.name)).config).toMatchObject({ num_replicas: 3, description: 'changed' });
    await jsm.streams.delete(one.name);
  });

  it('refuses more replicas than the cluster has servers, naming the variable', async () => {
    const naming = new NatsNaming(`r${randomBytes(3).toString('hex')}.`);
    await expect(ensureStream(jsm, streamConfig(resultsStream, naming, 5))).rejects.toThrow(
      /NATS_STREAM_REPLICAS=5 needs a JetStream cluster of at least 5 servers/,
    );
  });
});

describe('stream replicas on a single server', () => {
  let nats: TestNats;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await createTestNats();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.cleanup();
  });

  it('refuses NATS_STREAM_REPLICAS=3 with what to change, and creates the stream with 1', async () => {
    const jsm = await nc.jetstreamManager();
    const naming = new NatsNaming(nats.prefix);
    await expect(ensureStream(jsm, streamConfig(resultsStream, naming, 3))).rejects.toThrow(
      /NATS_STREAM_REPLICAS=3 needs a JetStream cluster of at least 3 servers \(use 1 against a single nats-server\)/,
    );
    await expect(ensureStream(jsm, streamConfig(resultsStream, naming, 1))).resolves.toBe('created');
    expect((await jsm.streams.info(naming.name('RESULTS'))).config.num_replicas).toBe(1);
  });
});

function onThreeServers(cluster: ClusterInfo | undefined): boolean {
  const followers = cluster?.replicas ?? [];
  return cluster?.leader !== undefined && followers.length === 2 && followers.every((f) => f.current);
}
