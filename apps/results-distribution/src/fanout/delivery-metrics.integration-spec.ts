/**
 * The series of the CIS and web service levels on GET /metrics, against real NATS and PostgreSQL: the delivery time per
 * channel a document reached (results_distribution_delivery_seconds), with the levels' thresholds as bucket bounds, and
 * the platform's consume and lag series of the followers' per-replica durables.
 */
import { waitFor } from '@podium/testing';
import { CisClient, httpGet, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result, SWIM_UNIT, UNIT } from '../test-support/messages';

const rd = distributionForThisFile();
const clients: { close(): unknown }[] = [];
afterAll(async () => {
  for (const client of clients) await client.close();
});

/** The value of `name{...}` whose labels include every one of `labels` (undefined: no such series). */
function sample(text: string, name: string, ...labels: string[]): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match?.[1] === name && labels.every((l) => match[2]?.split(',').includes(l))) return Number(match[3]);
  }
  return undefined;
}

async function metrics(): Promise<string> {
  return (await httpGet(`${rd.app.url}/metrics`)).body;
}

describe('delivery metrics', () => {
  it('times each document to the channels it reached, CIS and SSE apart, from its acceptance by results-ingest', async () => {
    const seq = await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }));
    await waitFor(() => rd.app.state.resultsSeq >= seq, { description: 'first result applied' });
    const cis = await CisClient.connect(rd.app.cisUrl);
    clients.push(cis);
    cis.send({ action: 'subscribe', id: 'unit', rsc: UNIT });
    await cis.next((m) => m.type === 'snapshot');
    const sse = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${SWIM_UNIT}`);
    clients.push(sse);
    await sse.next((e) => e.event === 'snapshot');
    const before = await metrics();
    const count = (text: string, channel: string): number => sample(text, 'results_distribution_delivery_seconds_count', `channel="${channel}"`) ?? 0;

    // A document only the CIS client follows: one CIS delivery, no SSE one.
    const s2 = await publishResult(rd.app, result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' }));
    await cis.next((m) => m.type === 'update' && m['seq'] === s2);
    // One only the SSE client follows: one SSE delivery, no CIS one.
    const s3 = await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 1, resultStatus: 'LIVE' }));
    await sse.next((e) => e.event === 'document' && e.id === String(s3));
    await waitFor(async () => count(await metrics(), 'sse') > count(before, 'sse'), { description: 'the SSE delivery observed' });

    const after = await metrics();
    expect(count(after, 'cis') - count(before, 'cis')).toBe(1);
    expect(count(after, 'sse') - count(before, 'sse')).toBe(1);
    // The levels' thresholds are bucket bounds (0.3 s for CIS, 2 s for the web: the rules read these two series).
    // (Not asserted: that these deliveries were within them; a loaded test machine may take longer.)
    for (const channel of ['cis', 'sse']) {
      for (const le of ['0.3', '2']) expect(sample(after, 'results_distribution_delivery_seconds_bucket', `channel="${channel}"`, `le="${le}"`)).toBeDefined();
      expect(sample(after, 'results_distribution_delivery_seconds_bucket', `channel="${channel}"`, 'le="+Inf"')).toBe(count(after, channel));
    }
    expect(sample(after, 'results_distribution_delivery_seconds_sum', 'channel="cis"')).toBeDefined();
  });

  it("shows the followers' durables (per replica) with their consume durations and their lag read from the server", async () => {
    const text = await metrics();
    const durable = /nats_consume_duration_seconds_count\{[^}]*durable="(results-distribution-results-[^"]+)"/.exec(text)?.[1];
    expect(durable).toBeDefined();
    const labels = ['stream="RESULTS"', `durable="${durable}"`];
    expect(sample(text, 'nats_consume_duration_seconds_count', ...labels, 'outcome="ok"')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'nats_consumer_pending_messages', ...labels)).toBe(0);
    expect(sample(text, 'nats_consumer_pending_messages', 'stream="SCHEDULES"')).toBeDefined();
  });
});
