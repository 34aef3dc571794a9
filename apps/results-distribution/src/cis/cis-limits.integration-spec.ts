/**
 * Abuse limits of the public channels against the running service (real NATS and PostgreSQL): a CIS connection may
 * hold CIS_MAX_SUBSCRIPTIONS subscriptions (10,000 subscribe frames: the rest are refused before any snapshot is built,
 * the connection stays, the others are served), a CIS connection that follows nothing is closed after
 * CIS_SUBSCRIBE_TIMEOUT_MS, and one client address may hold MAX_CONNECTIONS_PER_ADDRESS connections (CIS and SSE).
 */
import { waitFor } from '@podium/testing';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { ConnectionBudget } from '../fanout/connection-budget';
import { QueuedBytesBudget } from '../fanout/queued-bytes-budget';
import { CisClient, type CisMessage, httpGet, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result, UNIT } from '../test-support/messages';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
const rd = distributionForThisFile({ CIS_SUBSCRIBE_TIMEOUT_MS: '1000', MAX_CONNECTIONS_PER_ADDRESS: '4', CLIENT_QUEUE_MESSAGES: '20000' });

function socketOf(client: CisClient): Socket {
  return (client.ws as unknown as { _socket: Socket })._socket;
}

async function cis(headers: Record<string, string> = {}): Promise<CisClient> {
  const client = await CisClient.connect(rd.app.cisUrl, headers);
  closers.push(() => client.close());
  return client;
}

async function sse(path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.open(`${rd.app.url}${path}`, headers);
  closers.push(() => client.close());
  return client;
}

const replies = (client: CisClient): CisMessage[] => client.messages.filter((m) => m.type === 'subscribed' || m.type === 'error');

beforeAll(async () => {
  const seq = await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'LIVE', competitors: 8 }));
  await waitFor(() => rd.app.state.resultsSeq >= seq);
});

describe('CIS subscriptions per connection', () => {
  it('refuses the subscribe frames past CIS_MAX_SUBSCRIPTIONS (32) before any snapshot; the connection and the others are served', async () => {
    const other = await cis();
    other.send({ action: 'subscribe', id: 'ath', discipline: 'ATH' });
    await other.next((m) => m.type === 'snapshot');

    const abuser = await cis();
    for (let i = 1; i <= 10_000; i++) abuser.send({ action: 'subscribe', id: `x${i}`, rsc: UNIT });
    await waitFor(() => replies(abuser).length === 10_000, { timeoutMs: 60_000, description: '10,000 replies' });

    const answered = replies(abuser);
    expect(answered.slice(0, 32).map((m) => [m.type, m['id']])).toEqual(Array.from({ length: 32 }, (_, i) => ['subscribed', `x${i + 1}`]));
    const refused = answered.slice(32);
    expect(refused).toHaveLength(9_968);
    for (const m of refused) {
      expect(m).toEqual({
        type: 'error',
        code: 'too-many-subscriptions',
        message: 'at most 32 subscriptions per connection: unsubscribe one first',
      });
    }
    // Only the accepted subscriptions got a snapshot: the refused ones cost no state lookup.
    await waitFor(() => abuser.messages.filter((m) => m.type === 'snapshot').length === 32);
    expect(abuser.messages.filter((m) => m.type === 'snapshot')).toHaveLength(32);
    expect(abuser.closeCode).toBeNull();

    // Documented: the connection stays, and a slot freed by unsubscribe can be used again.
    abuser.send({ action: 'unsubscribe', id: 'x1' });
    abuser.send({ action: 'subscribe', id: 'again', rsc: UNIT });
    await abuser.next((m) => m.type === 'subscribed' && m['id'] === 'again');

    // The service is ready and everyone gets the next update: the abuser once, however many subscriptions match.
    expect((await httpGet(`${rd.app.url}/health/ready`)).status).toBe(200);
    const seq = await publishResult(rd.app, result({ rsc: UNIT, version: 2, resultStatus: 'LIVE', competitors: 8 }));
    await other.next((m) => m.type === 'update' && m['seq'] === seq);
    await abuser.next((m) => m.type === 'update' && m['seq'] === seq);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(abuser.updates().filter((m) => m['seq'] === seq)).toHaveLength(1);
  });

  it('builds a snapshot part by part as the socket takes it: a client that does not read holds one part, not all', async () => {
    // 401 documents of ~36 KB: three parts (200, 200, 1) of up to ~7 MB.
    let last = 0;
    for (let i = 0; i < 401; i++) {
      const rsc = `SWMM100M--------------FNL-${String(i).padStart(6, '0')}--`;
      last = await publishResult(rd.app, result({ rsc, version: 1, resultStatus: 'LIVE', competitors: 60 }));
    }
    await waitFor(() => rd.app.state.resultsSeq >= last, { timeoutMs: 30_000 });
    const documents = rd.app.state.documents.matching({ discipline: 'SWM' });
    const firstPart = documents.slice(0, 200).reduce((bytes, entry) => bytes + Buffer.byteLength(entry.json) + 1, 100);
    const budget = rd.app.app.get(QueuedBytesBudget);

    const slow = await cis();
    socketOf(slow).pause();
    slow.send({ action: 'subscribe', id: 'swm', discipline: 'SWM' });
    await waitFor(() => budget.measure() > 1_000_000, { description: 'the first part written' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The first part sits in the socket; the others are not built (nothing queued).
    expect(budget.queued).toBe(0);
    expect(budget.measure()).toBeLessThanOrEqual(firstPart + 1_000);

    socketOf(slow).resume();
    await slow.next((m) => m.type === 'snapshot' && m['part'] === 3, 30_000);
    const parts = slow.messages.filter((m) => m.type === 'snapshot');
    expect(parts.map((m) => [m['part'], m['parts'], (m['documents'] as unknown[]).length])).toEqual([
      [1, 3, 200],
      [2, 3, 200],
      [3, 3, 1],
    ]);
    expect(slow.closeCode).toBeNull();
  });

  it('answers commands in order, snapshots included', async () => {
    const client = await cis();
    client.send({ action: 'subscribe', id: 'a', rsc: UNIT });
    client.send({ action: 'snapshot', id: 'a' });
    client.send({ action: 'ping' });
    await client.next((m) => m.type === 'pong');
    expect(client.messages.map((m) => m.type)).toEqual(['welcome', 'subscribed', 'snapshot', 'snapshot', 'pong']);
  });
});

describe('CIS connections that follow nothing', () => {
  it('are closed after CIS_SUBSCRIBE_TIMEOUT_MS (4001), subscribed ones are not', async () => {
    const idle = await cis();
    const busy = await cis();
    busy.send({ action: 'subscribe', medals: true });
    await busy.next((m) => m.type === 'subscribed');
    await waitFor(() => idle.closeCode !== null, { timeoutMs: 5_000, description: 'the idle connection closed' });
    expect([idle.closeCode, idle.closeReason]).toEqual([4001, 'no subscription']);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(busy.closeCode).toBeNull();
    const metrics = await httpGet(`${rd.app.url}/metrics`);
    expect(metrics.body).toMatch(/results_distribution_disconnects_total\{[^}]*channel="cis"[^}]*reason="idle"[^}]*\} [1-9]/);
  });
});

describe('connections per client address', () => {
  it('allows MAX_CONNECTIONS_PER_ADDRESS (4) CIS + SSE connections per address (forwarded by a trusted proxy), then 429 / close 1013', async () => {
    // The test connects from 127.0.0.1, a trusted proxy by default (TRUSTED_PROXIES=loopback,private): the address is
    // the one X-Forwarded-For ends with.
    const from = (address: string): Record<string, string> => ({ 'X-Forwarded-For': `192.0.2.1, ${address}` });
    const connections = rd.app.app.get(ConnectionBudget);
    const taken = [await cis(from('198.51.100.7')), await cis(from('198.51.100.7'))];
    for (const client of taken) {
      client.send({ action: 'subscribe', medals: true });
      await client.next((m) => m.type === 'subscribed');
    }
    const streams = [await sse('/v1/stream?medals=true', from('198.51.100.7')), await sse('/v1/stream?medals=true', from('198.51.100.7'))];
    expect(streams.map((s) => s.status)).toEqual([200, 200]);

    const refusedStream = await sse('/v1/stream?medals=true', from('198.51.100.7'));
    expect(refusedStream.status).toBe(429);
    expect(refusedStream.headers['content-type']).toMatch(/^application\/problem\+json/);
    const refusedCis = new WebSocket(rd.app.cisUrl, { headers: from('198.51.100.7') });
    const closed = await new Promise<[number, string]>((resolve) =>
      refusedCis.on('close', (code, reason) => resolve([code, reason.toString()])),
    );
    expect(closed).toEqual([1013, 'too many connections from this address']);

    // Another address is served; so is this one once a connection is gone.
    const elsewhere = await sse('/v1/stream?medals=true', from('198.51.100.8'));
    expect(elsewhere.status).toBe(200);
    expect(connections.inUseBy('198.51.100.7')).toBe(4);
    await taken[0]?.close();
    await waitFor(() => connections.inUseBy('198.51.100.7') === 3);
    const again = await sse('/v1/stream?medals=true', from('198.51.100.7'));
    expect(again.status).toBe(200);
    const metrics = await httpGet(`${rd.app.url}/metrics`);
    expect(metrics.body).toMatch(/results_distribution_disconnects_total\{[^}]*channel="sse"[^}]*reason="address"[^}]*\} 1/);
    expect(metrics.body).toMatch(/results_distribution_disconnects_total\{[^}]*channel="cis"[^}]*reason="address"[^}]*\} 1/);
  });
});
