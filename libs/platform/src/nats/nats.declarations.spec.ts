import { schedulesStream } from '@podium/contracts';
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
