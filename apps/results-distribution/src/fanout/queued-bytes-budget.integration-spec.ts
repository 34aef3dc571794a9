/**
 * CLIENT_QUEUED_BYTES_BUDGET against the running service: 40 SSE clients that never read while results flow. Each is
 * within its own bounds (CLIENT_QUEUE_BYTES), but together they would hold 40 times that; the bytes queued for all
 * clients (results_distribution_client_queued_bytes) stay under the budget, the slow clients are cut, the service stays
 * ready and the clients that read get every update.
 */
import { waitFor } from '@podium/testing';
import { CisGateway } from '../cis/cis.gateway';
import { SseService } from '../sse/sse.service';
import { CisClient, httpGet, RawClient, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result } from '../test-support/messages';
import { QueuedBytesBudget } from './queued-bytes-budget';

const BUDGET = 6 * 1024 * 1024;
const HIGH_WATER = 64 * 1024;

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});
const rd = distributionForThisFile({
  CLIENT_QUEUED_BYTES_BUDGET: String(BUDGET),
  CLIENT_QUEUE_BYTES: '4mb',
  CLIENT_QUEUE_MESSAGES: '5000',
  CLIENT_SOCKET_HIGH_WATER: String(HIGH_WATER),
  MAX_CONNECTIONS_PER_ADDRESS: '100',
});

function gauge(body: string): number {
  const match = /^results_distribution_client_queued_bytes\{[^}]*\} (\d+)$/m.exec(body);
  if (!match) throw new Error('no results_distribution_client_queued_bytes in /metrics');
  return Number(match[1]);
}

describe('the budget of bytes queued for all clients', () => {
  it('keeps 40 SSE clients that never read under CLIENT_QUEUED_BYTES_BUDGET: they are cut, the readers and readiness are not', async () => {
    const sse = rd.app.app.get(SseService);
    const budget = rd.app.app.get(QueuedBytesBudget);
    const fast = await SseClient.open(`${rd.app.url}/v1/stream?discipline=SWM`);
    const fastCis = await CisClient.connect(rd.app.cisUrl);
    closers.push(() => fast.close(), () => fastCis.close());
    fastCis.send({ action: 'subscribe', discipline: 'SWM' });
    await fastCis.next((m) => m.type === 'snapshot');
    const slow = await Promise.all(Array.from({ length: 40 }, () => RawClient.paused(rd.app.url, '/v1/stream?discipline=SWM')));
    closers.push(...slow.map((client) => () => client.close()));
    await waitFor(() => sse.connectionCount === 41, { description: '41 SSE streams open' });

    // Scrape the gauge and measure the real total (without enforcing) all along.
    const scraped: number[] = [];
    const measured: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        scraped.push(gauge((await httpGet(`${rd.app.url}/metrics`)).body));
        measured.push(budget.measure());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    // OFFICIAL results of ~36 KB, each a different document (nothing conflates), until every slow client is cut.
    let last = 0;
    let published = 0;
    for (; published < 1_500 && sse.connectionCount > 1; published++) {
      const rsc = `SWMM100M--------------FNL-${String(published).padStart(6, '0')}--`;
      last = await publishResult(rd.app, result({ rsc, version: 1, resultStatus: 'OFFICIAL', competitors: 60 }));
    }
    sampling = false;
    await sampler;

    // Every slow client was cut, as a slow consumer; without the budget they would hold up to 40 x 4 MB.
    expect(sse.connectionCount).toBe(1);
    expect(budget.shed).toBeGreaterThanOrEqual(30);
    const metrics = await httpGet(`${rd.app.url}/metrics`);
    expect(metrics.body).toMatch(/results_distribution_disconnects_total\{[^}]*channel="sse"[^}]*reason="slow-consumer"[^}]*\} 40/);
    // The gauge never showed more than the budget; between sweeps (1 s) the sockets' share may grow by at most
    // HIGH_WATER plus a frame per connection before it is counted.
    expect(scraped.length).toBeGreaterThan(10);
    expect(Math.max(...scraped)).toBeLessThanOrEqual(BUDGET);
    expect(Math.max(...measured)).toBeLessThanOrEqual(BUDGET + 41 * (HIGH_WATER + 40 * 1024));
    expect(Math.max(...scraped)).toBeGreaterThan(BUDGET / 2);

    // The readers got every update, the service stayed ready.
    await fast.next((e) => e.event === 'document' && e.id === String(last), 30_000);
    await fastCis.next((m) => m.type === 'update' && m['seq'] === last, 30_000);
    expect(fast.events.filter((e) => e.event === 'document')).toHaveLength(published);
    expect(fastCis.updates()).toHaveLength(published);
    expect(fast.ended).toBe(false);
    expect(rd.app.app.get(CisGateway).connectionCount).toBe(1);
    expect((await httpGet(`${rd.app.url}/health/ready`)).status).toBe(200);
  });
});
