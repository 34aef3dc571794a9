/** GET /v1/medals against real NATS and PostgreSQL: the medal table from the results of the schedule's medal units. */
import { waitFor } from '@podium/testing';
import { httpGet } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { medallists, publishResult, publishScheduleUnit, result, scheduleUnit, SWIM_UNIT, UNIT } from '../test-support/messages';

const rd = distributionForThisFile();

async function published(seq: number): Promise<void> {
  await waitFor(() => rd.app.state.resultsSeq >= seq, { description: `sequence ${seq} applied` });
}

beforeAll(async () => {
  // Both finals are medal units of the schedule; the 100m is still running (LIVE results count for nothing).
  await publishScheduleUnit(rd.app, scheduleUnit(UNIT, { status: 'SCHEDULED', medal: true }));
  await publishScheduleUnit(rd.app, scheduleUnit(SWIM_UNIT, { status: 'FINISHED', medal: true }));
  await waitFor(() => rd.app.state.unitCount === 2);
  await published(await publishResult(rd.app, result({ rsc: UNIT, version: 3, resultStatus: 'LIVE' })));
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
