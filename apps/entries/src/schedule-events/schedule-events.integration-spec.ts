/**
 * The schedule follower in the real service: with SCHEDULES_URL set, the events the schedules API lists are known
 * once the service has started, before the stream brings them; a newer state from the stream then wins.
 */
import { scheduleEventUpdated } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Harness, startEntries } from '../test-support/harness';

const { edition: _edition, updatedAt: _updatedAt, ...event } = scheduleEventUpdated.example;
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
  const bodies: Record<string, unknown> = { '/v1/editions': [edition], '/v1/editions/OG2024/events': [event] };
  const server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('entries follows the schedule from the schedules API at boot', () => {
  let schedules: Server;
  let h: Harness;

  beforeAll(async () => {
    schedules = await fakeSchedules();
    const { port } = schedules.address() as AddressInfo;
    h = await startEntries({ SCHEDULES_URL: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => schedules?.close(resolve));
  });

  it('knows the events the API lists once started; a state from the stream replaces them', async () => {
    const oc = await h.token({ roles: ['oc-admin'] });
    const listed = async () =>
      (await (await h.request('/v1/editions/OG2024/events', { token: oc })).json()) as { rsc: string; name: string }[];
    expect((await listed()).map((e) => [e.rsc, e.name])).toEqual([[event.rsc, event.name]]);

    await h.publishScheduleEvent({ ...scheduleEventUpdated.example, name: "Men's 100 metres" });
    const renamed = await waitFor(async () => ((await listed())[0]?.name === "Men's 100 metres" ? true : null));
    expect(renamed).toBe(true);
  });
});
