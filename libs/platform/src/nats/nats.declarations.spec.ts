import { Logger } from '@nestjs/common';
import { resultsStream, schedulesStream } from '@podium/contracts';
import { AckPolicy, DeliverPolicy, type JetStreamManager, nanos, RetentionPolicy, StorageType } from 'nats';
import {
  consumerDifferences,
  consumerTarget,
  deadLetterStream,
  ensureStream,
  SERVER_DELIVERY_MARGIN,
  streamConfig,
  streamDifferences,
} from './nats.declarations';
import { NatsNaming } from './nats.naming';
import { resolveNatsOptions } from './nats.options';
import { platformConfigSchema } from '../config/platform.config';

const UNIT_UPDATED = 'oms.schedules.v1.unit.{discipline}.updated';

describe('stream declarations', () => {
  const naming = new NatsNaming('t1a2b.');

  it('maps a contracts stream onto a prefixed JetStream config', () => {
    expect(streamConfig(schedulesStream, naming)).toEqual({
      name: 't1a2b_SCHEDULES',
      subjects: ['t1a2b.oms.schedules.v1.>'],
      description: schedulesStream.description,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: 0,
      duplicate_window: nanos(schedulesStream.duplicateWindow),
      max_msgs_per_subject: -1,
      num_replicas: 1,
    });
  });

  it('keeps the latest message per subject only when the contract says so', () => {
    const latest = streamConfig({ ...schedulesStream, name: 'CURRENT', maxMsgsPerSubject: 1 }, naming);
    expect(latest.max_msgs_per_subject).toBe(1);
    expect(streamDifferences(latest, { ...latest, max_msgs_per_subject: -1 }).changed).toEqual(['max_msgs_per_subject']);
  });

  it('declares a dead-letter stream capturing dlq.>', () => {
    const config = streamConfig(deadLetterStream(60_000), naming);
    expect(config.name).toBe('t1a2b_DLQ');
    expect(config.subjects).toEqual(['t1a2b.dlq.>']);
    expect(config.max_age).toBe(nanos(60_000));
  });

  it('finds updatable and immutable differences', () => {
    const desired = streamConfig(schedulesStream, naming);
    expect(streamDifferences(desired, { ...desired })).toEqual({ changed: [], immutable: [] });
    expect(
      streamDifferences(desired, { ...desired, subjects: [...desired.subjects].reverse() }).changed,
    ).toEqual([]);
    expect(
      streamDifferences(desired, {
        ...desired,
        subjects: ['x.>'],
        max_age: 5,
        retention: RetentionPolicy.Workqueue,
      }),
    ).toEqual({ changed: ['subjects', 'max_age'], immutable: ['retention'] });
  });

  it('refuses to silently change an immutable setting', async () => {
    const desired = streamConfig(schedulesStream, naming);
    const jsm = {
      streams: {
        info: jest.fn().mockResolvedValue({ config: { ...desired, storage: StorageType.Memory } }),
        add: jest.fn(),
        update: jest.fn(),
      },
    } as unknown as JetStreamManager;
    await expect(ensureStream(jsm, desired)).rejects.toThrow(/different storage/);
    expect(jsm.streams.update).not.toHaveBeenCalled();
  });
});

describe('stream replicas (NATS_STREAM_REPLICAS)', () => {
  const naming = new NatsNaming('r.');

  /** A JetStreamManager whose stream exists with `existing`; add and update resolve unless given. */
  function managerWith(existing: Record<string, unknown> | undefined, calls: { add?: jest.Mock; update?: jest.Mock } = {}) {
    const notFound = Object.assign(new Error('stream not found'), { api_error: { code: 404, err_code: 10059 } });
    const jsm = {
      streams: {
        info: existing ? jest.fn().mockResolvedValue({ config: existing }) : jest.fn().mockRejectedValue(notFound),
        add: calls.add ?? jest.fn().mockResolvedValue({}),
        update: calls.update ?? jest.fn().mockResolvedValue({}),
      },
    };
    return { jsm: jsm as unknown as JetStreamManager, streams: jsm.streams };
  }

  it('is a platform variable from 1 to 5, 1 by default', () => {
    const base = { SERVICE_NAME: 'results-ingest', PORT: '3006', DATABASE_URL: 'postgres://u@h/d' };
    expect(platformConfigSchema.parse(base).NATS_STREAM_REPLICAS).toBe(1);
    expect(platformConfigSchema.parse({ ...base, NATS_STREAM_REPLICAS: '3' }).NATS_STREAM_REPLICAS).toBe(3);
    for (const bad of ['0', '6', '2.5', 'three']) {
      expect(platformConfigSchema.safeParse({ ...base, NATS_STREAM_REPLICAS: bad }).success).toBe(false);
    }
    expect(resolveNatsOptions({ servers: 'nats://n:4222', name: 'svc' }).streamReplicas).toBe(1);
    expect(resolveNatsOptions({ servers: 'nats://n:4222', name: 'svc', streamReplicas: 3 }).streamReplicas).toBe(3);
    expect(() => resolveNatsOptions({ servers: 'nats://n:4222', name: 'svc', streamReplicas: 0 })).toThrow(/streamReplicas/);
  });

  it('sets num_replicas on every declared stream, the dead-letter stream included', () => {
    expect(streamConfig(resultsStream, naming, 3).num_replicas).toBe(3);
    expect(streamConfig(deadLetterStream(60_000), naming, 3).num_replicas).toBe(3);
    expect(streamConfig(resultsStream, naming).num_replicas).toBe(1);
  });

  it('raises a stream with fewer replicas and never lowers one with more', () => {
    const three = streamConfig(resultsStream, naming, 3);
    const one = streamConfig(resultsStream, naming, 1);
    expect(streamDifferences(three, { ...one })).toEqual({ changed: ['num_replicas'], immutable: [] });
    // A stream created without the setting has one copy.
    expect(streamDifferences(three, { ...one, num_replicas: undefined }).changed).toEqual(['num_replicas']);
    expect(streamDifferences(one, { ...three })).toEqual({ changed: [], immutable: [] });
    expect(streamDifferences(three, { ...three })).toEqual({ changed: [], immutable: [] });
  });

  it('creates a stream with the configured replicas', async () => {
    const desired = streamConfig(resultsStream, naming, 3);
    const { jsm, streams } = managerWith(undefined);
    await expect(ensureStream(jsm, desired)).resolves.toBe('created');
    expect(streams.add).toHaveBeenCalledWith(expect.objectContaining({ name: 'r_RESULTS', num_replicas: 3 }));
  });

  it('updates an R1 stream to R3 in place, keeping every other managed setting', async () => {
    const desired = streamConfig(resultsStream, naming, 3);
    const { jsm, streams } = managerWith({ ...desired, num_replicas: 1 });
    await expect(ensureStream(jsm, desired)).resolves.toBe('updated');
    expect(streams.add).not.toHaveBeenCalled();
    expect(streams.update).toHaveBeenCalledWith('r_RESULTS', {
      subjects: desired.subjects,
      description: desired.description,
      max_age: desired.max_age,
      duplicate_window: desired.duplicate_window,
      max_msgs_per_subject: desired.max_msgs_per_subject,
      num_replicas: 3,
    });
  });

  it('leaves an R3 stream at 3 when the service is configured with 1, also when it updates another setting', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const desired = streamConfig(resultsStream, naming, 1);
    const unchanged = managerWith({ ...desired, num_replicas: 3 });
    await expect(ensureStream(unchanged.jsm, desired)).resolves.toBe('unchanged');
    expect(unchanged.streams.update).not.toHaveBeenCalled();

    const described = managerWith({ ...desired, description: 'older', num_replicas: 3 });
    await expect(ensureStream(described.jsm, desired)).resolves.toBe('updated');
    expect(described.streams.update).toHaveBeenCalledWith('r_RESULTS', expect.objectContaining({ description: desired.description, num_replicas: 3 }));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Stream r_RESULTS has 3 replicas, more than the 1 configured \(NATS_STREAM_REPLICAS\): left as is/));
  });

  it('names the variable when the server cannot hold that many replicas', async () => {
    const refused = Object.assign(new Error('replicas > 1 not supported in non-clustered mode'), { api_error: { code: 500, err_code: 10074 } });
    const { jsm } = managerWith(undefined, { add: jest.fn().mockRejectedValue(refused) });
    await expect(ensureStream(jsm, streamConfig(resultsStream, naming, 3))).rejects.toThrow(
      /replicas > 1 not supported in non-clustered mode: NATS_STREAM_REPLICAS=3 needs a JetStream cluster of at least 3 servers/,
    );
    // Other refusals pass unchanged.
    const overlap = new Error('subjects overlap with an existing stream');
    const other = managerWith(undefined, { add: jest.fn().mockRejectedValue(overlap) });
    await expect(ensureStream(other.jsm, streamConfig(resultsStream, naming, 3))).rejects.toBe(overlap);
  });
});

describe('consumer declarations', () => {
  it('builds an explicit-ack durable pull consumer on the key filter', () => {
    const target = consumerTarget(
      {
        key: UNIT_UPDATED,
        durable: 'dist-units',
        ackWaitMs: 5_000,
        maxAttempts: 3,
        filterTokens: { discipline: 'ATH' },
      },
      new NatsNaming('p.'),
    );
    expect(target.stream).toBe('p_SCHEDULES');
    expect(target.config).toMatchObject({
      durable_name: 'p_dist-units',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(5_000),
      max_deliver: 3 + SERVER_DELIVERY_MARGIN,
      filter_subject: 'p.oms.schedules.v1.unit.ATH.updated',
    });
    expect(target.config).not.toHaveProperty('deliver_subject');
  });

  it('uses wildcards for unspecified tokens and the stream from the contracts', () => {
    const target = consumerTarget(
      { key: UNIT_UPDATED, durable: 'all-units', deliverPolicy: 'new' },
      new NatsNaming(''),
    );
    expect(target.stream).toBe('SCHEDULES');
    expect(target.config.filter_subject).toBe('oms.schedules.v1.unit.*.updated');
    expect(target.config.deliver_policy).toBe(DeliverPolicy.New);
  });

  it('lists changed settings but ignores deliver_policy', () => {
    const { config } = consumerTarget({ key: UNIT_UPDATED, durable: 'c' }, new NatsNaming(''));
    expect(consumerDifferences(config, { ...config, deliver_policy: DeliverPolicy.Last })).toEqual([]);
    expect(consumerDifferences(config, { ...config, ack_wait: 1, max_deliver: 2 })).toEqual([
      'ack_wait',
      'max_deliver',
    ]);
  });
});
