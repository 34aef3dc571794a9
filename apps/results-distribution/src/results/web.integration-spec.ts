/**
 * The web and mobile channel against real NATS and PostgreSQL: REST with strong ETags and 304s, SSE resumed with
 * Last-Event-ID, the medal table recomputed on a correction, the schedule with live status, the partner feed.
 */
import { scheduleEventUpdated } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { httpGet, SseClient } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import {
  HEAT,
  medallists,
  publishResult,
  publishScheduleUnit,
  result,
  scheduleUnit,
  SWIM_UNIT,
  UNIT,
} from '../test-support/messages';

const streams: SseClient[] = [];
afterAll(() => streams.forEach((s) => s.close()));
const rd = distributionForThisFile({ REPLAY_BUFFER_MESSAGES: '30' });

async function published(seq: number): Promise<void> {
  await waitFor(() => rd.app.state.resultsSeq >= seq, { description: `sequence ${seq} applied` });
}

describe('REST', () => {
  it('serves the latest version with version and resultStatus at the top level, a strong ETag and 304s', async () => {
    await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }));
    await published(await publishResult(rd.app, result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' })));

    const url = `${rd.app.url}/v1/documents/${UNIT}/DT_RESULT`;
    const first = await httpGet(url);
    expect(first.status).toBe(200);
    const body = JSON.parse(first.body) as Record<string, unknown>;
    expect(body).toMatchObject({ documentCode: UNIT, documentType: 'DT_RESULT', version: 2, resultStatus: 'LIVE' });
    expect(first.headers['etag']).toMatch(/^"[^W]/);
    expect(first.headers['cache-control']).toMatch(/s-maxage=\d+/);
    expect(first.headers['cache-control']).toMatch(/stale-while-revalidate=\d+/);
    expect(first.headers['access-control-allow-origin']).toBe('*');

    const etag = String(first.headers['etag']);
    const notModified = await httpGet(url, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');

    await published(await publishResult(rd.app, result({ rsc: UNIT, version: 3, resultStatus: 'LIVE' })));
    const changed = await httpGet(url, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect(JSON.parse(changed.body)).toMatchObject({ version: 3 });
  });

  it('serves unit results, the start list kept after results start, phase results; 404 and 410 as problems', async () => {
    const results = await httpGet(`${rd.app.url}/v1/units/${UNIT}/results`);
    expect(JSON.parse(results.body)).toMatchObject({ version: 3, resultStatus: 'LIVE' });
    const startList = await httpGet(`${rd.app.url}/v1/units/${UNIT}/start-list`);
    expect(startList.status).toBe(200);
    expect(JSON.parse(startList.body)).toMatchObject({ version: 1, resultStatus: 'START_LIST' });

    const phase = 'ATHM100M--------------FNL---------';
    const missing = await httpGet(`${rd.app.url}/v1/phases/${phase}/results`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(missing.body)).toMatchObject({ type: 'https://podium.dev/problems/document-not-found' });

    const phaseResult = result({ rsc: UNIT, version: 1 });
    await published(
      await publishResult(rd.app, {
        ...phaseResult,
        documentCode: phase,
        documentType: 'DT_PHASE_RESULT',
        documentKey: phaseResult.documentKey.replace(`|${UNIT}||DT_RESULT|`, `|${phase}||DT_PHASE_RESULT|`),
      }),
    );
    expect((await httpGet(`${rd.app.url}/v1/phases/${phase}/results`)).status).toBe(200);

    await published(await publishResult(rd.app, result({ rsc: HEAT, version: 1 })));
    await published(await publishResult(rd.app, result({ rsc: HEAT, version: 2, withdrawal: true })));
    const withdrawn = await httpGet(`${rd.app.url}/v1/units/${HEAT}/results`);
    expect(withdrawn.status).toBe(410);
    expect(JSON.parse(withdrawn.body)).toMatchObject({ type: 'https://podium.dev/problems/document-withdrawn', version: 2 });

    const invalid = await httpGet(`${rd.app.url}/v1/documents/${UNIT}/DT_NOPE`);
    expect(invalid.status).toBe(400);
  });

  it('shows the schedule with live status from the results', async () => {
    // Other subjects of the SCHEDULES stream (schedule events) are not this service's business.
    await rd.app.publish(scheduleEventUpdated.subject, scheduleEventUpdated.example, { tokens: { discipline: 'ATH' } });
    await publishScheduleUnit(rd.app, scheduleUnit(UNIT, { status: 'SCHEDULED', medal: true }));
    await publishScheduleUnit(rd.app, scheduleUnit(SWIM_UNIT, { status: 'FINISHED', medal: true }));
    await waitFor(() => rd.app.state.unitCount === 2);
    const response = await httpGet(`${rd.app.url}/v1/schedule?discipline=ATH`);
    expect(response.status).toBe(200);
    const { units } = JSON.parse(response.body) as { units: Record<string, unknown>[] };
    expect(units).toEqual([
      expect.objectContaining({ rsc: UNIT, status: 'SCHEDULED', live: true, results: expect.objectContaining({ resultStatus: 'LIVE', version: 3 }) }),
    ]);
    const notModified = await httpGet(`${rd.app.url}/v1/schedule?discipline=ATH`, { 'If-None-Match': String(response.headers['etag']) });
    expect(notModified.status).toBe(304);
    const metrics = await httpGet(`${rd.app.url}/metrics`);
    expect(metrics.body).toMatch(/results_distribution_messages_total\{[^}]*stream="schedules"[^}]*outcome="applied"[^}]*\} 2/);
    expect(metrics.body).not.toMatch(/stream="schedules"[^}]*outcome="invalid"/);
  });
});

describe('medal table', () => {
  it('counts OFFICIAL medal-unit results, prefers DT_MEDALLISTS, and recomputes on a correction', async () => {
    // The swimming final is a medal unit (schedule); its OFFICIAL result gives medals by rank.
    await published(
      await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 1, resultStatus: 'OFFICIAL', competitors: 3, seed: 7 })),
    );
    const first = JSON.parse((await httpGet(`${rd.app.url}/v1/medals`)).body) as { rows: { noc: string; total: number }[]; totals: { total: number } };
    expect(first.totals.total).toBe(3);

    // DT_MEDALLISTS for the 100m: USA gold, JAM silver, GBR bronze.
    const event = 'ATHM100M--------------------------';
    await published(
      await publishResult(rd.app, medallists({ eventRsc: event, version: 1, medals: [{ medal: 'GOLD', noc: 'USA' }, { medal: 'SILVER', noc: 'JAM' }, { medal: 'BRONZE', noc: 'GBR' }] }),
      ),
    );
    const medals = await httpGet(`${rd.app.url}/v1/medals`);
    const table = JSON.parse(medals.body) as { rows: { rank: number; noc: string; gold: number; silver: number; bronze: number; total: number }[] };
    expect(table.rows.find((r) => r.noc === 'JAM')).toMatchObject({ silver: 1 });
    const etag = String(medals.headers['etag']);
    expect((await httpGet(`${rd.app.url}/v1/medals`, { 'If-None-Match': etag })).status).toBe(304);

    // A correction: JAM's silver goes to CAN; the table is recomputed.
    await published(
      await publishResult(rd.app, medallists(
          { eventRsc: event, version: 2, medals: [{ medal: 'GOLD', noc: 'USA' }, { medal: 'SILVER', noc: 'CAN' }, { medal: 'BRONZE', noc: 'GBR' }] },
          { correction: true, officialVersion: 1 },
        ),
      ),
    );
    const corrected = await httpGet(`${rd.app.url}/v1/medals`, { 'If-None-Match': etag });
    expect(corrected.status).toBe(200);
    const rows = (JSON.parse(corrected.body) as typeof table).rows;
    expect(rows.find((r) => r.noc === 'JAM')).toBeUndefined();
    expect(rows.find((r) => r.noc === 'CAN')).toMatchObject({ silver: 1, total: 1 });
    // Ranked by golds, then silvers, then bronzes.
    const order = rows.map((r) => [r.gold, r.silver, r.bronze]);
    expect([...order].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!)).toEqual(order);
  });
});

describe('SSE', () => {
  it('sends a snapshot, then updates with their sequence as id, and resumes with Last-Event-ID', async () => {
    const sse = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${UNIT}&medals=true`);
    streams.push(sse);
    expect(sse.status).toBe(200);
    const snapshot = await sse.next((e) => e.event === 'snapshot');
    expect(JSON.parse(snapshot.data).documents.map((d: { documentType: string }) => d.documentType)).toEqual(['DT_RESULT']);
    await sse.next((e) => e.event === 'medals');

    const s4 = await publishResult(rd.app, result({ rsc: UNIT, version: 4 }));
    const update = await sse.next((e) => e.event === 'document' && e.id === String(s4));
    expect(JSON.parse(update.data)).toMatchObject({ version: 4, seq: s4 });
    const lastEventId = sse.lastEventId();
    sse.close();

    const s5 = await publishResult(rd.app, result({ rsc: UNIT, version: 5 }));
    await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 2 }));
    const s7 = await publishResult(rd.app, result({ rsc: UNIT, version: 6, resultStatus: 'OFFICIAL' }));
    await published(s7);

    const resumed = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${UNIT}`, { 'Last-Event-ID': String(lastEventId) });
    streams.push(resumed);
    const hello = await resumed.next((e) => e.event === 'hello');
    expect(JSON.parse(hello.data)).toMatchObject({ resumed: true });
    await resumed.next((e) => e.id === String(s7));
    expect(resumed.events.filter((e) => e.event === 'document').map((e) => Number(e.id))).toEqual([s5, s7]);
    expect(resumed.events.some((e) => e.event === 'snapshot')).toBe(false);
  });

  it('sends reset then a snapshot when the Last-Event-ID is no longer buffered', async () => {
    for (let v = 10; v < 45; v++) await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: v }));
    await waitFor(() => rd.app.state.replay.floor > 1);
    const sse = await SseClient.open(`${rd.app.url}/v1/stream?rsc=${UNIT}&lastEventId=1`);
    streams.push(sse);
    await sse.next((e) => e.event === 'reset');
    const snapshot = await sse.next((e) => e.event === 'snapshot');
    expect(JSON.parse(snapshot.data).documents[0]).toMatchObject({ version: 6 });
  });

  it('refuses a stream that asks for nothing', async () => {
    const response = await httpGet(`${rd.app.url}/v1/stream`);
    expect(response.status).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents the routes, the public ones without a security requirement', async () => {
    const response = await httpGet(`${rd.app.url}/docs-json`);
    expect(response.status).toBe(200);
    const doc = JSON.parse(response.body) as { paths: Record<string, { get: { security?: unknown[] } }> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/documents/{documentCode}/{documentType}',
        '/v1/units/{rsc}/results',
        '/v1/units/{rsc}/start-list',
        '/v1/phases/{rsc}/results',
        '/v1/schedule',
        '/v1/events/{eventRsc}/entries',
        '/v1/medals',
        '/v1/stream',
        '/v1/feed',
      ]),
    );
    expect(doc.paths['/v1/medals']?.get.security).toEqual([]);
    expect(doc.paths['/v1/feed']?.get.security).not.toEqual([]);
  });
});

describe('partner feed', () => {
  it('needs a token with the partner role', async () => {
    expect((await httpGet(`${rd.app.url}/v1/feed?after=0`)).status).toBe(401);
    const viewer = await rd.app.token(['ioc-observer'], { sub: 'partner-1' });
    expect((await httpGet(`${rd.app.url}/v1/feed?after=0`, { Authorization: `Bearer ${viewer}` })).status).toBe(403);
  });

  it('pages through every message after a sequence, from memory or (older) from the stream', async () => {
    const token = await rd.app.token(['partner'], { sub: 'partner-1' });
    const auth = { Authorization: `Bearer ${token}` };
    // From the beginning: older than the replay buffer, read from JetStream.
    const seqs: number[] = [];
    let after = 0;
    for (let page = 0; page < 20; page++) {
      const response = await httpGet(`${rd.app.url}/v1/feed?after=${after}&limit=25`, auth);
      expect(response.status).toBe(200);
      const body = JSON.parse(response.body) as { last: number; complete: boolean; items: { seq: number }[] };
      seqs.push(...body.items.map((i) => i.seq));
      after = body.last;
      if (body.complete) break;
    }
    expect(after).toBe(rd.app.state.resultsSeq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seqs.length).toBe(rd.app.state.resultsSeq);
  });
});
