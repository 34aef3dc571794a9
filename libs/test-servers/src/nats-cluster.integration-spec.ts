/** startNatsCluster against real nats-server processes: a JetStream cluster whose servers can be killed and restarted. */
import { existsSync } from 'node:fs';
import { connect } from 'nats';
import { type NatsCluster, startNatsCluster } from './nats-cluster';
import { waitFor } from './wait-for';

describe('startNatsCluster', () => {
  let cluster: NatsCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs three clustered JetStream servers; a killed stream leader is replaced, and restarted it rejoins', async () => {
    cluster = await startNatsCluster({ size: 3 });
    const c = cluster;
    expect(c.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(c.url.split(',')).toEqual(c.servers);
    expect(new Set(c.nodes.map((n) => n.pid)).size).toBe(3);

    const nc = await connect({ servers: [...c.servers] });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'CLUSTER_IT', subjects: ['cluster-it.>'], num_replicas: 3 });
      await nc.jetstream().publish('cluster-it.a', 'one');

      const leader = await c.streamLeader('CLUSTER_IT');
      await leader.kill();
      expect(leader.running).toBe(false);
      expect(leader.pid).toBeUndefined();
      const next = await waitFor(
        async () => {
          const now = await c.streamLeader('CLUSTER_IT');
          return now.name !== leader.name ? now : undefined;
        },
        { timeoutMs: 30_000, description: 'a new leader' },
      );
      expect(next?.running).toBe(true);
      await nc.jetstream().publish('cluster-it.a', 'two');

      await leader.start();
      await waitFor(
        async () => {
          const info = await jsm.streams.info('CLUSTER_IT');
          const back = info.cluster?.replicas?.find((r) => r.name === leader.name);
          return info.state.messages === 2 && (back?.current ?? false);
        },
        { timeoutMs: 30_000, description: `${leader.name} current again` },
      );
      expect(leader.url).toBe(c.servers[c.nodes.indexOf(leader)]);
    } finally {
      await nc.close();
    }
  });

  it('stops every server and removes their stores (twice is fine)', async () => {
    const c = cluster;
    if (!c) throw new Error('the first test did not start the cluster');
    expect(existsSync(c.dir)).toBe(true);
    await c.stop();
    await c.stop();
    expect(c.nodes.every((n) => !n.running)).toBe(true);
    await expect(connect({ servers: [...c.servers], timeout: 1000, reconnect: false })).rejects.toThrow();
    expect(existsSync(c.dir)).toBe(false);
  });
});
