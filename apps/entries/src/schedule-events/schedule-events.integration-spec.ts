/**
 * The schedule follower in the real service: with SCHEDULES_URL set, the events the schedules API lists are known
 * once the service has started, before the stream brings them; a newer state from the stream then wins.
 */
import { scheduleEditionExample, scheduleEventUpdated } from '@podium/contracts';
import { type FakeJsonApi, startFakeJsonApi, waitFor } from '@podium/testing';

import { type Harness, startEntries } from '../test-support/harness';

const { edition: _edition, updatedAt: _updatedAt, ...event } = scheduleEventUpdated.example;

describe('entries follows the schedule from the schedules API at boot', () => {
  let schedules: FakeJsonApi;
  let h: Harness;

  beforeAll(async () => {
    schedules = await startFakeJsonApi({ '/v1/editions': [scheduleEditionExample], '/v1/editions/OG2024/events': [event] });
    h = await startEntries({ SCHEDULES_URL: schedules.url });
  });
  afterAll(async () => {
    await h?.close();
    await schedules?.close();
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
