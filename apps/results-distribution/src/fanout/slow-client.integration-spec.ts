/**
 * A client that stops reading does not slow the others down: its LIVE updates conflate to the latest per document,
 * and when it falls behind on updates that cannot be dropped (OFFICIAL) it is disconnected with a reason.
 */
import { waitFor } from '@podium/testing';
import type { Socket } from 'node:net';
import { CisGateway } from '../cis/cis.gateway';
import { CisClient, httpGet, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result } from '../test-support/messages';

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});
const rd = distributionForThisFile({ CLIENT_SOCKET_HIGH_WATER: '64kb', CLIENT_QUEUE_MESSAGES: '40', CLIENT_QUEUE_BYTES: '4mb' });

const units = (discipline: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${discipline}M100M--------------FNL-0001${String(i).padStart(2, '0')}--`);

function socketOf(client: CisClient): Socket {
  return (client.ws as unknown as { _socket: Socket })._socket;
}

describe('slow clients', () => {
  it('conflate LIVE updates to the latest per document while fast clients get every update', async () => {
    const slow = await SseClient.open(`${rd.app.url}/v1/stream?discipline=ATH`);
    const fast = await SseClient.open(`${rd.app.url}/v1/stream?discipline=ATH`);
    const fastCis = await CisClient.connect(rd.app.cisUrl);
    closers.push(() => slow.close(), () => fast.close(), () => fastCis.close());
    fastCis.send({ action: 'subscribe', discipline: 'ATH' });
    await Promise.all([slow.next((e) => e.event === 'snapshot'), fast.next((e) => e.event === 'snapshot')]);
    await fastCis.next((m) => m.type === 'snapshot');
    slow.pause();

    // ~36 KB documents: 450 of them (16 MB) overflow the kernel's socket buffers of the paused client.
    const rscs = units('ATH', 3);
    const last = new Map<string, number>();
    let lastSeq = 0;
    for (let version = 1; version <= 150; version++) {
      for (const rsc of rscs) {
        lastSeq = await publishResult(rd.app, result({ rsc, version, resultStatus: 'LIVE', competitors: 60 }));
        last.set(rsc, version);
      }
    }
    // The fast clients get every final version right away, while the slow one is stuck (they may skip a LIVE
    // version only if the service itself falls behind: server-side conflation, see DistributionHub).
    const finalVersion = (rsc: string) => (data: string) =>
      data.includes(`"documentCode":"${rsc}"`) && data.includes(`"version":${last.get(rsc)},`);
    for (const rsc of rscs) {
      await fast.next((e) => e.event === 'document' && finalVersion(rsc)(e.data), 30_000);
      await fastCis.next((m) => m.type === 'update' && finalVersion(rsc)(JSON.stringify(m['document'])), 30_000);
    }
    expect(Number(fast.lastEventId())).toBe(lastSeq);
    expect(fast.events.filter((e) => e.event === 'document').length).toBeGreaterThan(400);
    expect(slow.events.filter((e) => e.event === 'document').length).toBeLessThan(100);

    slow.resume();
    for (const rsc of rscs) await slow.next((e) => e.event === 'document' && finalVersion(rsc)(e.data), 30_000);
    const received = slow.events.filter((e) => e.event === 'document');
    expect(received.length).toBeLessThan(450);
    expect(slow.ended).toBe(false);
    // Sequences still only go up, so the client can resume from the last one it saw.
    const ids = received.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('disconnects a client that cannot keep up with OFFICIAL updates (never dropped), with the reason', async () => {
    const slow = await CisClient.connect(rd.app.cisUrl);
    const fast = await CisClient.connect(rd.app.cisUrl);
    closers.push(() => slow.close(), () => fast.close());
    slow.send({ action: 'subscribe', discipline: 'SWM' });
    fast.send({ action: 'subscribe', discipline: 'SWM' });
    await Promise.all([slow.next((m) => m.type === 'snapshot'), fast.next((m) => m.type === 'snapshot')]);
    socketOf(slow).pause();
    const gateway = rd.app.app.get(CisGateway);
    expect(gateway.connectionCount).toBeGreaterThanOrEqual(2);

    // 500 different documents, each OFFICIAL: nothing can be conflated.
    const rscs = units('SWM', 100);
    for (let round = 1; round <= 5; round++) {
      for (const rsc of rscs) {
        await publishResult(rd.app, result({ rsc, version: round, resultStatus: 'OFFICIAL', competitors: 60 }));
      }
    }
    // OFFICIAL updates are never conflated: the fast client gets all 500.
    await waitFor(() => fast.updates().length === 500, { timeoutMs: 30_000 });
    const metrics = await httpGet(`${rd.app.url}/metrics`);
    expect(metrics.body).toMatch(/results_distribution_disconnects_total\{[^}]*channel="cis"[^}]*reason="slow-consumer"[^}]*\} 1/);

    socketOf(slow).resume();
    await waitFor(() => slow.closeCode !== null, { timeoutMs: 15_000 });
    // The close frame (4008 + reason) when the client reads it in time, else the server drops the connection.
    expect([4008, 1006]).toContain(slow.closeCode);
    if (slow.closeCode === 4008) expect(slow.closeReason).toMatch(/slow consumer: more than 40 messages waiting/);
    // Every OFFICIAL the slow client did receive came in order, none skipped before the cut.
    const seqs = slow.updates().map((m) => Number(m['seq']));
    expect(seqs).toEqual(fast.updates().slice(0, seqs.length).map((m) => Number(m['seq'])));
    expect(fast.closeCode).toBeNull();
  });
});
