/** Server-Sent Events (GET /v1/stream) against real NATS and PostgreSQL: snapshot, updates with their sequence as id, resume with Last-Event-ID, reset. */
import { waitFor } from '@podium/testing';
import { httpGet, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result, SWIM_UNIT, UNIT } from '../test-support/messages';

const streams: SseClient[] = [];
afterAll(() => streams.forEach((s) => s.close()));
const rd = distributionForThisFile({ REPLAY_BUFFER_MESSAGES: '30' });

async function published(seq: number): Promise<void> {
  await waitFor(() => rd.app.state.resultsSeq >= seq, { description: `sequence ${seq} applied` });
}

beforeAll(async () => {
  await published(await publishResult(rd.app, result({ rsc: UNIT, version: 3, resultStatus: 'LIVE' })));
});

describe('SSE', () => {
  it('sends a snapshot, then updates with their sequence as id, and resumes with Last-Event-ID', async () => {
    const sse = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${UNIT}&medals=true`);
    streams.push(sse);
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sse.headers['cache-control']).toBe('no-cache, no-transform');
    // EventSource on another origin (the widget) reads the stream only with CORS headers.
    expect(sse.headers['access-control-allow-origin']).toBe('*');
    expect(sse.headers['x-correlation-id']).toEqual(expect.any(String));
    const snapshot = await sse.next((e) => e.event === 'snapshot');
    expect(JSON.parse(snapshot.data).documents.map((d: { documentType: string }) => d.documentType)).toEqual(['DT_RESULT']);
    await sse.next((e) => e.event === 'medals');

    const s4 = await publishResult(rd.app, result({ rsc: UNIT, version: 4 }));
    const update = await sse.next((e) => e.event === 'document' && e.id === String(s4));
    expect(JSON.parse(update.data)).toMatchObject({ version: 4, seq: s4 });
    const lastEventId = sse.lastEventId();
    sse.close();

    // LIVE 5 (superseded by 7, left out of the resume), another unit, OFFICIAL 6 (never left out), LIVE 7.
    await publishResult(rd.app, result({ rsc: UNIT, version: 5 }));
    await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 2 }));
    const s7 = await publishResult(rd.app, result({ rsc: UNIT, version: 6, resultStatus: 'OFFICIAL' }));
    const s8 = await publishResult(rd.app, result({ rsc: UNIT, version: 7 }));
    await published(s8);

    const resumed = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${UNIT}`, { 'Last-Event-ID': String(lastEventId) });
    streams.push(resumed);
    const hello = await resumed.next((e) => e.event === 'hello');
    expect(JSON.parse(hello.data)).toMatchObject({ resumed: true });
    await resumed.next((e) => e.id === String(s8));
    expect(resumed.events.filter((e) => e.event === 'document').map((e) => Number(e.id))).toEqual([s7, s8]);
    expect(resumed.events.some((e) => e.event === 'snapshot')).toBe(false);
  });

  it('sends reset then a snapshot when the Last-Event-ID is no longer buffered', async () => {
    for (let v = 10; v < 45; v++) await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: v }));
    await waitFor(() => rd.app.state.replay.floor > 1);
    const sse = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${UNIT}&lastEventId=1`);
    streams.push(sse);
    await sse.next((e) => e.event === 'reset');
    const snapshot = await sse.next((e) => e.event === 'snapshot');
    expect(JSON.parse(snapshot.data).documents[0]).toMatchObject({ version: 7 });
  });

  it('refuses a stream that asks for nothing', async () => {
    const response = await httpGet(`${rd.app.url}/v1/stream`);
    expect(response.status).toBe(400);
  });
});
