/**
 * The schedule follower in the real service: with SCHEDULES_URL set, the units of the schedules service's snapshots
 * are known once the service has started (before the stream brings them), so their results are not quarantined.
 */
import { type ScheduleSnapshot, scheduleUnitUpdated } from '@podium/contracts';
import { makeResultMessage } from '@podium/odf-message';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PrismaService } from '../database/prisma.service';
import { type Harness, startResultsIngest } from '../test-support/harness';

const unit = { ...scheduleUnitUpdated.example, edition: 'OG2024', version: 2 };
const snapshot: ScheduleSnapshot = { edition: 'OG2024', sequence: 0, takenAt: '2024-07-01T09:00:00Z', sessions: [], units: [unit] };
const edition = {
  code: 'OG2024',
  name: 'Paris 2024',
  kind: 'OG',
  timeZone: 'Europe/Paris',
  locale: 'fr-FR',
  logicalDayEnd: '03:00',
  startDate: '2024-07-24',
  endDate: '2024-08-11',
};

/** A stand-in for the schedules service's read API. */
function fakeSchedules(): Promise<Server> {
  const bodies: Record<string, unknown> = { '/v1/editions': [edition], '/v1/editions/OG2024/snapshot': snapshot };
  const server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('results-ingest follows the schedule from the schedules API at boot', () => {
  let schedules: Server;
  let h: Harness;

  beforeAll(async () => {
    schedules = await fakeSchedules();
    const { port } = schedules.address() as AddressInfo;
    h = await startResultsIngest({ SCHEDULES_URL: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => schedules?.close(resolve));
  });

  it("knows the snapshot's units once started, and accepts their results unquarantined", async () => {
    const known = await h.app.get(PrismaService).knownUnit.findUnique({ where: { rsc: unit.rsc } });
    expect(known).toMatchObject({ edition: 'OG2024', eventRsc: unit.eventRsc, phaseRsc: unit.phaseRsc, version: 2 });

    const res = await h.post(makeResultMessage({ rsc: unit.rsc, version: 1 }).xml);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ quarantined: false });
  });
});
