import type { ConsumerInfo, JetStreamManager } from 'nats';
import type { PlatformConfig } from '../config/platform.config';
import { MetricsService } from '../metrics/metrics.service';
import type { NatsConnectionService } from './nats.connection';
import { NatsMetrics, subjectRoot } from './nats.metrics';
import { NatsNaming } from './nats.naming';

/** Value of the sample `name{...}` whose labels include every one of `labels`. */
function sample(text: string, name: string, ...labels: string[]): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match?.[1] === name && labels.every((l) => match[2]?.split(',').includes(l))) return Number(match[3]);
  }
  return undefined;
}

interface FakeServer {
  connected: boolean;
  /** num_pending / num_ack_pending by `<stream>/<durable>` (wire names); absent: the consumer info fails. */
  counts: Map<string, [number, number]>;
  /** Consumer info requests made. */
  asked: string[];
  /** A request that never answers (a NATS server gone quiet). */
  hang: boolean;
}

function setup(prefix = 't1.'): { nats: NatsMetrics; metrics: MetricsService; server: FakeServer } {
  const server: FakeServer = { connected: true, counts: new Map(), asked: [], hang: false };
  const manager = {
    consumers: {
      info: (stream: string, durable: string): Promise<ConsumerInfo> => {
        server.asked.push(`${stream}/${durable}`);
        if (server.hang) return new Promise(() => undefined);
        const counts = server.counts.get(`${stream}/${durable}`);
        if (!counts) return Promise.reject(new Error('consumer not found'));
        return Promise.resolve({ num_pending: counts[0], num_ack_pending: counts[1] } as ConsumerInfo);
      },
    },
  } as unknown as JetStreamManager;
  const connection = {
    naming: new NatsNaming(prefix),
    get isConnected() {
      return server.connected;
    },
    manager,
  } as unknown as NatsConnectionService;
  const metrics = new MetricsService({ SERVICE_NAME: 'svc' } as PlatformConfig, { defaultMetrics: false });
  return { nats: new NatsMetrics(connection, metrics), metrics, server };
}

describe('subjectRoot', () => {
  it('keeps the first three tokens: bounded, whatever RSC or edition the subject carries', () => {
    expect(subjectRoot('ods.results.v1.ATH.ATHM100M--------------FNL-000100--.DT_RESULT')).toBe('ods.results.v1');
    expect(subjectRoot('oms.accreditation.v1.card.OG2024.issued')).toBe('oms.accreditation.v1');
    expect(subjectRoot('dlq.workforce.oms.accreditation.v1.card.OG2024.issued')).toBe('dlq.workforce.oms');
    expect(subjectRoot('a.b')).toBe('a.b');
    expect(subjectRoot('a.b.c')).toBe('a.b.c');
  });
});

describe('NatsMetrics', () => {
  it('times publishes by subject root (the NATS prefix taken off) and outcome', async () => {
    const { nats, metrics } = setup();
    nats.observePublish('t1.ods.results.v1.ATH.ATHM100M--------------FNL-000100--.DT_RESULT', 'ok', 0.002);
    nats.observePublish('t1.ods.results.v1.SWM.SWMW100MFR------------FNL-000100--.DT_RESULT', 'ok', 0.004);
    nats.observePublish('t1.ods.results.v1.SWM.SWMW100MFR------------FNL-000100--.DT_RESULT', 'duplicate', 0.001);
    nats.observePublish('t1.oms.schedules.v1.unit.ATH.updated', 'error', 1.5);
    const text = await metrics.render();
    expect(sample(text, 'nats_publish_duration_seconds_count', 'subject_root="ods.results.v1"', 'outcome="ok"')).toBe(2);
    expect(sample(text, 'nats_publish_duration_seconds_count', 'subject_root="ods.results.v1"', 'outcome="duplicate"')).toBe(1);
    expect(sample(text, 'nats_publish_duration_seconds_bucket', 'subject_root="oms.schedules.v1"', 'outcome="error"', 'le="1"')).toBe(0);
    expect(sample(text, 'nats_publish_duration_seconds_count', 'subject_root="oms.schedules.v1"', 'outcome="error"', 'service="svc"')).toBe(1);
    expect(text).not.toContain('ATHM100M');
  });

  it('times consumed messages by logical stream, durable and outcome, also through a bound recorder', async () => {
    const { nats, metrics } = setup();
    nats.observeConsume('t1_SCHEDULES', 't1_entries-schedule-events', 'ok', 0.01);
    const record = nats.consumeRecorder('t1_ACCREDITATION', 't1_workforce-cards-issued');
    record('ok', 0.02);
    record('ok', 0.03);
    record('retry', 0.5);
    record('dead_letter', 0.1);
    const text = await metrics.render();
    const cards = ['stream="ACCREDITATION"', 'durable="workforce-cards-issued"'];
    expect(sample(text, 'nats_consume_duration_seconds_count', ...cards, 'outcome="ok"')).toBe(2);
    expect(sample(text, 'nats_consume_duration_seconds_count', ...cards, 'outcome="retry"')).toBe(1);
    expect(sample(text, 'nats_consume_duration_seconds_count', ...cards, 'outcome="dead_letter"')).toBe(1);
    expect(sample(text, 'nats_consume_duration_seconds_count', 'stream="SCHEDULES"', 'durable="entries-schedule-events"', 'outcome="ok"')).toBe(1);
  });

  it('reads tracked consumers\' pending counts from the server when scraped, at most every 5 s, and drops untracked ones', async () => {
    const { nats, metrics, server } = setup();
    server.counts.set('t1_RESULTS/t1_partner', [0, 0]);
    server.counts.set('t1_SCHEDULES/t1_entries-schedule-events', [1200, 3]);
    const untrack = nats.trackConsumer('t1_SCHEDULES', 't1_entries-schedule-events');
    nats.trackConsumer('t1_RESULTS', 't1_partner');
    const durable = ['stream="SCHEDULES"', 'durable="entries-schedule-events"'];

    let text = await metrics.render();
    expect(sample(text, 'nats_consumer_pending_messages', ...durable)).toBe(1200);
    expect(sample(text, 'nats_consumer_ack_pending_messages', ...durable)).toBe(3);
    expect(sample(text, 'nats_consumer_pending_messages', 'stream="RESULTS"', 'durable="partner"')).toBe(0);
    // Both gauges of the scrape shared one read: one request per durable.
    expect(server.asked.sort()).toEqual(['t1_RESULTS/t1_partner', 't1_SCHEDULES/t1_entries-schedule-events']);

    // Scraped again at once: the counts of the last read, no new request.
    server.counts.set('t1_SCHEDULES/t1_entries-schedule-events', [10, 0]);
    text = await metrics.render();
    expect(sample(text, 'nats_consumer_pending_messages', ...durable)).toBe(1200);
    expect(server.asked).toHaveLength(2);

    // Untracked: gone from the next scrape.
    untrack();
    text = await metrics.render();
    expect(sample(text, 'nats_consumer_pending_messages', ...durable)).toBeUndefined();
    expect(sample(text, 'nats_consumer_pending_messages', 'durable="partner"')).toBe(0);
  });

  it('keeps the last counts while NATS is away or slow, and shows nothing for a durable never read', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { nats, metrics, server } = setup('');
      server.counts.set('RESULTS/results-distribution-results-a', [7, 1]);
      nats.trackConsumer('RESULTS', 'results-distribution-results-a');
      nats.trackConsumer('RESULTS', 'gone');
      const a = ['stream="RESULTS"', 'durable="results-distribution-results-a"'];
      let text = await metrics.render();
      expect(sample(text, 'nats_consumer_pending_messages', ...a)).toBe(7);
      expect(sample(text, 'nats_consumer_pending_messages', 'durable="gone"')).toBeUndefined();

      // Disconnected: no request, the last counts.
      server.connected = false;
      jest.advanceTimersByTime(6_000);
      server.counts.set('RESULTS/results-distribution-results-a', [9, 0]);
      text = await metrics.render();
      expect(sample(text, 'nats_consumer_pending_messages', ...a)).toBe(7);

      // Connected but the server does not answer: the scrape waits 1 s at most, then shows the last counts.
      server.connected = true;
      server.hang = true;
      const scrape = metrics.render();
      await Promise.resolve();
      jest.advanceTimersByTime(1_000);
      text = await scrape;
      expect(sample(text, 'nats_consumer_pending_messages', ...a)).toBe(7);

      // Answering again, 5 s later: the new counts.
      server.hang = false;
      jest.advanceTimersByTime(5_000);
      text = await metrics.render();
      expect(sample(text, 'nats_consumer_pending_messages', ...a)).toBe(9);
    } finally {
      jest.useRealTimers();
    }
  });

  it('is a no-op without MetricsService', () => {
    const connection = { naming: new NatsNaming('') } as unknown as NatsConnectionService;
    const nats = new NatsMetrics(connection);
    expect(() => nats.observePublish('a.b.c', 'ok', 1)).not.toThrow();
    expect(() => nats.consumeRecorder('S', 'd')('ok', 1)).not.toThrow();
    expect(() => nats.trackConsumer('S', 'd')()).not.toThrow();
  });
});
