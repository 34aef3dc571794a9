/**
 * The schedule follower in the real service: with SCHEDULES_URL set, the units of the schedules service's snapshots
 * are known once the service has started (before the stream brings them), so their results are not quarantined.
 */
import { scheduleEditionExample, type ScheduleSnapshot, scheduleUnitUpdated } from '@podium/contracts';
import { makeResultMessage } from '@podium/odf-message';
import { type FakeJsonApi, startFakeJsonApi } from '@podium/testing';

import { PrismaService } from '../database/prisma.service';
import { type Harness, startResultsIngest } from '../test-support/harness';

const unit = { ...scheduleUnitUpdated.example, edition: 'OG2024', version: 2 };
const snapshot: ScheduleSnapshot = { edition: 'OG2024', sequence: 0, takenAt: '2024-07-01T09:00:00Z', sessions: [], units: [unit] };

describe('results-ingest follows the schedule from the schedules API at boot', () => {
  let schedules: FakeJsonApi;
  let h: Harness;

  beforeAll(async () => {
    schedules = await startFakeJsonApi({ '/v1/editions': [scheduleEditionExample], '/v1/editions/OG2024/snapshot': snapshot });
    h = await startResultsIngest({ SCHEDULES_URL: schedules.url });
  });
  afterAll(async () => {
    await h?.close();
    await schedules?.close();
  });

  it("knows the snapshot's units once started, and accepts their results unquarantined", async () => {
    const known = await h.app.get(PrismaService).knownUnit.findUnique({ where: { rsc: unit.rsc } });
    expect(known).toMatchObject({ edition: 'OG2024', eventRsc: unit.eventRsc, phaseRsc: unit.phaseRsc, version: 2 });

    const res = await h.post(makeResultMessage({ rsc: unit.rsc, version: 1 }).xml);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ quarantined: false });
  });
});
