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
});
