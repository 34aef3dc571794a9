/**
 * The HTTP server's limits against the running service: a client sending its headers byte by byte is cut by
 * HTTP_HEADERS_TIMEOUT_MS (408), a connection that never sends a request by HTTP_IDLE_TIMEOUT_MS, an SSE stream whose
 * client stopped reading by SSE_IDLE_TIMEOUT_MS, while a quiet SSE stream that is read (heartbeats) stays open.
 */
import { waitFor } from '@podium/testing';
import { QueuedBytesBudget } from '../fanout/queued-bytes-budget';
import { SseService } from '../sse/sse.service';
import { httpGet, RawClient, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result } from '../test-support/messages';

const closers: (() => unknown)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});
const rd = distributionForThisFile({
  HTTP_HEADERS_TIMEOUT_MS: '1000',
  HTTP_REQUEST_TIMEOUT_MS: '2000',
  HTTP_IDLE_TIMEOUT_MS: '1500',
  SSE_HEARTBEAT_MS: '200',
  SSE_IDLE_TIMEOUT_MS: '1000',
});

async function raw(): Promise<RawClient> {
  const client = await RawClient.open(rd.app.url);
  closers.push(() => client.close());
  return client;
}

describe('HTTP server limits', () => {
  it('cuts a client that sends its headers byte by byte after HTTP_HEADERS_TIMEOUT_MS, with a 408', async () => {
    const slow = await raw();
    const started = Date.now();
    // 120 bytes at one every 100 ms: 12 s if nothing cuts it.
    const headers = `GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(70)}\r\n\r\n`;
    await slow.trickle(headers, 100);
    await waitFor(() => slow.closed, { timeoutMs: 1_000, description: 'the connection closed' });
    const elapsed = Date.now() - started;
    // The headers timeout (1 s) plus Node's check interval (250 ms here) and the trickle's step.
    expect(elapsed).toBeLessThan(2_500);
    expect(slow.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that never sends a request after HTTP_HEADERS_TIMEOUT_MS (counted from the connection), with a 408', async () => {
    const silent = await raw();
    const started = Date.now();
    await waitFor(() => silent.closed, { timeoutMs: 5_000, description: 'the silent connection closed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(silent.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps a kept-alive connection between requests for longer than those limits', async () => {
    const client = await raw();
    const ask = `GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    client.write(ask);
    await waitFor(() => /\r\n\r\n/.test(client.received), { description: 'the first answer' });
    expect(client.received).toMatch(/^HTTP\/1\.1 200 /);
    // Idle for more than the headers (1 s) and idle (1.5 s) timeouts: the keep-alive timeout applies between requests.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(client.closed).toBe(false);
    client.received = '';
    client.write(ask);
    await waitFor(() => /\r\n\r\n/.test(client.received), { description: 'the second answer' });
    expect(client.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes an SSE stream whose client stopped reading after SSE_IDLE_TIMEOUT_MS; a quiet stream that is read stays', async () => {
    const sse = rd.app.app.get(SseService);
    const quiet = await SseClient.open(`${rd.app.url}/v1/stream?rsc=ARCM70M---------------FNL-000100--`);
    closers.push(() => quiet.close());
    const stuck = await RawClient.paused(rd.app.url, '/v1/stream?discipline=SWM');
    closers.push(() => stuck.close());
    await waitFor(() => sse.connectionCount === 2);

    // Updates until the stuck client's socket is full (the server holds bytes it cannot hand to the kernel).
    const budget = rd.app.app.get(QueuedBytesBudget);
    for (let i = 0; i < 400 && budget.measure() === 0; i++) {
      const rsc = `SWMM100M--------------FNL-${String(i).padStart(6, '0')}--`;
      await publishResult(rd.app, result({ rsc, version: 1, resultStatus: 'OFFICIAL', competitors: 60 }));
    }
    expect(budget.measure()).toBeGreaterThan(0);
    await waitFor(() => sse.connectionCount === 1, { timeoutMs: 5_000, description: 'the stuck stream closed' });
    const metrics = await httpGet(`${rd.app.url}/metrics`);
    expect(metrics.body).toMatch(/results_distribution_disconnects_total\{[^}]*channel="sse"[^}]*reason="idle"[^}]*\} 1/);

    // The quiet stream got only heartbeats for longer than SSE_IDLE_TIMEOUT_MS, and is still open.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(quiet.ended).toBe(false);
    expect(sse.connectionCount).toBe(1);
  });

  it('closes a connection whose client does not read a response after HTTP_IDLE_TIMEOUT_MS', async () => {
    // ~7 MB of documents, for a feed page larger than the kernel's socket buffers.
    let last = 0;
    for (let i = 0; i < 250; i++) {
      const rsc = `SWMW100M--------------FNL-${String(i).padStart(6, '0')}--`;
      last = await publishResult(rd.app, result({ rsc, version: 1, resultStatus: 'LIVE', competitors: 60 }));
    }
    await waitFor(() => rd.app.state.resultsSeq >= last, { timeoutMs: 30_000 });
    const token = await rd.app.token(['partner'], { sub: 'partner-1' });
    const reader = await RawClient.paused(rd.app.url, `/v1/feed?after=${last - 250}&limit=250`, { Authorization: `Bearer ${token}` });
    closers.push(() => reader.close());
    // No byte moves: the server gives up the response. Node's socket timeout fires once HTTP_IDLE_TIMEOUT_MS (1.5 s)
    // passed without the write queue moving (it looks at each expiry): between 1 and 2 times the limit.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    reader.socket.resume();
    await waitFor(() => reader.received.includes('\r\n\r\n'), { description: 'the answer' });
    expect(reader.received.slice(0, 200)).toMatch(/^HTTP\/1\.1 200 /);
    await waitFor(() => reader.closed, { timeoutMs: 5_000, description: 'the connection closed' });
    const length = Number(/content-length: (\d+)/i.exec(reader.received)?.[1]);
    expect(length).toBeGreaterThan(5_000_000);
    expect(reader.received.length).toBeLessThan(length);
  });
});
