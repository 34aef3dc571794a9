/** GET /v1/schedule against real NATS and PostgreSQL: the units from the SCHEDULES stream with live status from the results. */
import { scheduleEventUpdated } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { httpGet } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, publishScheduleUnit, result, scheduleUnit, SWIM_UNIT, UNIT } from '../test-support/messages';

const rd = distributionForThisFile();

async function published(seq: number): Promise<void> {
  await waitFor(() => rd.app.state.resultsSeq >= seq, { description: `sequence ${seq} applied` });
}

describe('schedule', () => {
  beforeAll(async () => {
    await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }));
    await published(await publishResult(rd.app, result({ rsc: UNIT, version: 3, resultStatus: 'LIVE' })));
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

  it('serves the same bytes and ETag while the schedule is the same, and new ones after a new version of its data', async () => {
    const url = `${rd.app.url}/v1/schedule?discipline=ATH`;
    const first = await httpGet(url);
    const again = await httpGet(url);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    expect(again.body).toBe(first.body);
    const etag = String(first.headers['etag']);
    const notModified = await httpGet(url, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');

    // The unit's results become OFFICIAL: its live status and results change, so do the bytes and the ETag.
    await published(await publishResult(rd.app, result({ rsc: UNIT, version: 4, resultStatus: 'OFFICIAL' })));
    const changed = await httpGet(url, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect(JSON.parse(changed.body)).toEqual({
      units: [expect.objectContaining({ rsc: UNIT, live: false, results: expect.objectContaining({ resultStatus: 'OFFICIAL', version: 4 }) })],
    });
    expect((await httpGet(url, { 'If-None-Match': String(changed.headers['etag']) })).status).toBe(304);
    // Other criteria are answered from the same version of the data.
    const all = await httpGet(`${rd.app.url}/v1/schedule`);
    expect((JSON.parse(all.body) as { units: { rsc: string }[] }).units.map((u) => u.rsc)).toEqual(
      expect.arrayContaining([UNIT, SWIM_UNIT]),
    );
  });
});
