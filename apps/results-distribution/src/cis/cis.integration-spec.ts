/**
 * The CIS WebSocket channel against real NATS (own prefix) and PostgreSQL (own database): snapshot then updates,
 * resume after a reconnect, an explicit reset when the missed updates are no longer buffered, the DT_CURRENT fast path.
 */
import { waitFor } from '@podium/testing';
import { CisClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { current, HEAT, publishResult, result, SWIM_UNIT, UNIT } from '../test-support/messages';

const clients: CisClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});
const rd = distributionForThisFile({ REPLAY_BUFFER_MESSAGES: '20' });

async function client(): Promise<CisClient> {
  const c = await CisClient.connect(rd.app.cisUrl);
  clients.push(c);
  return c;
}

describe('CIS channel', () => {
  it('sends a snapshot of the subscribed documents, then each update with its stream sequence', async () => {
    const s1 = await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }));
    await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 1 }));
    await waitFor(() => rd.app.state.resultsSeq >= s1 + 1);

    const cis = await client();
    cis.send({ action: 'subscribe', id: 'ath', discipline: 'ATH' });
    const ack = await cis.next((m) => m.type === 'subscribed' && m['id'] === 'ath');
    expect(ack).toMatchObject({ resumed: false, seq: s1 + 1 });
    const snapshot = await cis.next((m) => m.type === 'snapshot');
    const documents = snapshot['documents'] as { documentCode: string; version: number; seq: number }[];
    expect(documents.map((d) => d.documentCode)).toEqual([UNIT]);
    expect(documents[0]).toMatchObject({ version: 1, seq: s1, resultStatus: 'START_LIST' });

    const s3 = await publishResult(rd.app, result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' }));
    await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 2 }));
    const update = await cis.next((m) => m.type === 'update');
    expect(update['seq']).toBe(s3);
    expect(update['document']).toMatchObject({ documentCode: UNIT, version: 2, resultStatus: 'LIVE', seq: s3 });
    // The swimming update is not for this client.
    await waitFor(() => rd.app.state.resultsSeq >= s3 + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(cis.updates().map((m) => (m['document'] as { discipline: string }).discipline)).toEqual(['ATH']);
  });

  it('filters by unit RSC (a phase code covers its units) and by DocumentType', async () => {
    const byPhase = await client();
    byPhase.send({ action: 'subscribe', rsc: 'ATHM100M--------------HEAT--------' });
    await byPhase.next((m) => m.type === 'snapshot');
    const byType = await client();
    byType.send({ action: 'subscribe', documentType: 'DT_MEDALLISTS' });
    await byType.next((m) => m.type === 'snapshot');

    const heat = await publishResult(rd.app, result({ rsc: HEAT, version: 1 }));
    await publishResult(rd.app, result({ rsc: UNIT, version: 3 }));
    await byPhase.next((m) => m.type === 'update' && m['seq'] === heat);
    await waitFor(() => rd.app.state.resultsSeq >= heat + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(byPhase.updates().map((m) => m['seq'])).toEqual([heat]);
    expect(byType.updates()).toEqual([]);
  });

  it('resumes from the last sequence after a reconnect, with the missed updates conflated: every OFFICIAL and the latest', async () => {
    const first = await client();
    first.send({ action: 'subscribe', rsc: UNIT });
    await first.next((m) => m.type === 'snapshot');
    const seen = await publishResult(rd.app, result({ rsc: UNIT, version: 10 }));
    await first.next((m) => m.type === 'update' && m['seq'] === seen);
    const last = first.lastSeq();
    await first.close();

    // LIVE 11 (superseded by 12), another unit, OFFICIAL 12, LIVE 13 (superseded by 14), LIVE 14.
    await publishResult(rd.app, result({ rsc: UNIT, version: 11 }));
    await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 10 }));
    const official = await publishResult(rd.app, result({ rsc: UNIT, version: 12, resultStatus: 'OFFICIAL' }));
    await publishResult(rd.app, result({ rsc: UNIT, version: 13 }));
    const latest = await publishResult(rd.app, result({ rsc: UNIT, version: 14 }));
    await waitFor(() => rd.app.state.resultsSeq >= latest);

    const again = await client();
    again.send({ action: 'subscribe', rsc: UNIT, after: last });
    const ack = await again.next((m) => m.type === 'subscribed');
    expect(ack).toMatchObject({ resumed: true, missed: 2 });
    await waitFor(() => again.updates().length === 2);
    expect(again.updates().map((m) => m['seq'])).toEqual([official, latest]);
    expect(again.messages.some((m) => m.type === 'snapshot')).toBe(false);

    const live = await publishResult(rd.app, result({ rsc: UNIT, version: 15, resultStatus: 'OFFICIAL' }));
    await again.next((m) => m.type === 'update' && m['seq'] === live);
  });

  it('tells a client whose sequence is no longer buffered to take a new snapshot, and sends it', async () => {
    const old = rd.app.state.replay.floor;
    for (let v = 20; v < 45; v++) await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: v }));
    await waitFor(() => rd.app.state.replay.floor > old);

    const cis = await client();
    cis.send({ action: 'subscribe', rsc: UNIT, after: old });
    const reset = await cis.next((m) => m.type === 'reset');
    expect(String(reset['reason'])).toMatch(/no longer buffered/);
    const snapshot = await cis.next((m) => m.type === 'snapshot');
    expect((snapshot['documents'] as { version: number }[])[0]?.version).toBe(15);

    cis.send({ action: 'snapshot' });
    await waitFor(() => cis.messages.filter((m) => m.type === 'snapshot').length === 2);
  });

  it('answers an invalid command with an error naming the field, and keeps the connection', async () => {
    const cis = await client();
    cis.send({ action: 'subscribe', discipline: 'athletics' });
    const error = await cis.next((m) => m.type === 'error');
    expect(error['errors']).toEqual([expect.objectContaining({ field: 'discipline' })]);
    cis.send({ action: 'ping' });
    await cis.next((m) => m.type === 'pong');
  });

  it('delivers DT_CURRENT (fast path) to subscribers of the unit, and the latest one at subscription', async () => {
    const cis = await client();
    cis.send({ action: 'subscribe', rsc: UNIT });
    await cis.next((m) => m.type === 'snapshot');
    await publishResult(rd.app, current({ rsc: UNIT, version: 5 }));
    const clock = await cis.next((m) => m.type === 'current');
    expect(clock['document']).toMatchObject({ documentType: 'DT_CURRENT', version: 5, stream: 'RESULTS_CURRENT' });
    expect(clock['seq']).toBeUndefined();

    const late = await client();
    late.send({ action: 'subscribe', rsc: UNIT });
    const latest = await late.next((m) => m.type === 'current');
    expect(latest['document']).toMatchObject({ version: 5 });
  });
});
