/**
 * A durable consumer of the platform (NatsConsumerRunner) when the JetStream server leading it is lost: a 3-server
 * cluster on loopback (@podium/test-servers' startNatsCluster), the stream and its durable on all three (R3), the
 * service connected to the two other servers. The consumer's pending pull died with its leader: the runner must notice
 * and pull from the new leader (PULL_EXPIRES_MS), not stay idle until nats.js's default heartbeat check (~40 s).
 */
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { scheduleUnitUpdated, schedulesStream } from '@podium/contracts';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { type NatsCluster, startNatsCluster, waitFor } from '@podium/test-servers';
import { HealthRegistry } from '../health/health.registry';
import { NatsConsumerRunner } from './nats.consumer';
import { consumerTarget, ensureConsumer, ensureStream, streamConfig } from './nats.declarations';
import { NatsModule } from './nats.module';
import { NatsNaming } from './nats.naming';
import type { ConsumerDefinition } from './nats.options';
import { NatsPublisher } from './nats.publisher';

@Global()
@Module({ providers: [HealthRegistry], exports: [HealthRegistry] })
class TestHealthModule {}

const KEY = 'oms.schedules.v1.unit.{discipline}.updated';

describe('a platform consumer when the server leading it is lost', () => {
  let cluster: NatsCluster;
  let admin: NatsConnection;
  let module: TestingModule | undefined;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    admin = await connect({ servers: [...cluster.servers] });
  });
  afterAll(async () => {
    await module?.close().catch(() => undefined);
    await admin?.close();
    await cluster?.stop();
  });

  it('resumes from the new leader within seconds', async () => {
    const prefix = `fo${randomBytes(3).toString('hex')}.`;
    const naming = new NatsNaming(prefix);
    const definition: ConsumerDefinition<typeof KEY> = { key: KEY, durable: 'failover-it', ackWaitMs: 30_000 };
    // The stream and durable on the three servers first (what NATS_STREAM_REPLICAS=3 declares).
    const jsm = await admin.jetstreamManager();
    await ensureStream(jsm, streamConfig(schedulesStream, naming, 3));
    const target = consumerTarget(definition, naming);
    await ensureConsumer(jsm, target);
    const durable = target.config.durable_name ?? '';
    const leaderName = await waitFor(async () => (await jsm.consumers.info(target.stream, durable)).cluster?.leader, {
      timeoutMs: 20_000,
      description: 'the durable has a leader',
    });
    const leader = cluster.node(leaderName ?? '');

    // The service talks to the two other servers only: what it loses is its consumer's leader, not its connection.
    module = await Test.createTestingModule({
      imports: [
        TestHealthModule,
        NatsModule.forRootAsync({
          useFactory: () => ({
            servers: cluster.servers.filter((s) => s !== leader.url),
            name: 'failover-it',
            prefix,
            streams: [schedulesStream],
          }),
        }),
      ],
    }).compile();
    await module.init();
    const handled: number[] = [];
    module.get(NatsConsumerRunner).consume(definition, (envelope) => {
      handled.push(envelope.data.version);
    });
    const publisher = module.get(NatsPublisher);
    const unit = scheduleUnitUpdated.example;
    await publisher.publish(KEY, { ...unit, version: 1 }, { tokens: { discipline: unit.discipline } });
    await waitFor(() => handled.includes(1), { timeoutMs: 10_000, description: 'the first message handled' });
    // Idle now: its pull request waits on the leader.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    await leader.kill('SIGKILL');
    const killedAt = Date.now();
    // Published as soon as the stream takes it again (it may have lost its leader too).
    await waitFor(
      async () => {
        await publisher.publish(KEY, { ...unit, version: 2 }, { tokens: { discipline: unit.discipline }, id: AFTER_ID, timeoutMs: 2_000 });
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the stream accepts a publish again' },
    );
    const publishedAfter = Date.now() - killedAt;
    // nats.js's defaults notice the lost pull after two missed 15 s heartbeats (~30-45 s): 20 s tells the two apart.
    await waitFor(() => handled.includes(2), { timeoutMs: 20_000, description: 'the message published after the loss handled' });
    const handledAfter = Date.now() - killedAt;
    console.log(`Consumer leader ${leader.name} killed: published again after ${publishedAfter} ms, handled after ${handledAfter} ms`);
  });
});

const AFTER_ID = '0f5b3c1e-2d4a-4c6b-9e8f-7a1b2c3d4e5f';
