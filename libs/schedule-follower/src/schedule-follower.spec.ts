import { Logger } from '@nestjs/common';
import { scheduleEditionExample, scheduleEventUpdated, scheduleUnitUpdated, type ScheduleUnitState } from '@podium/contracts';
import type { NatsConsumerRunner } from '@podium/platform';
import { ScheduleFollower } from './schedule-follower';
import type { FetchLike } from './schedules-client';

const unit = scheduleUnitUpdated.example;
const { edition: _edition, updatedAt: _updatedAt, ...event } = scheduleEventUpdated.example;
const edition = scheduleEditionExample;
const snapshot = { edition: 'OG2024', sequence: 12, takenAt: '2024-07-01T09:00:00.000Z', sessions: [], units: [unit] };

/** A schedules API answering these paths (anything else: 404), recording the URLs asked. */
function fakeApi(bodies: Record<string, unknown>) {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    const path = new URL(url).pathname;
    return path in bodies ? { ok: true, status: 200, json: async () => bodies[path] } : { ok: false, status: 404, json: async () => ({}) };
  };
  return { fetch, urls };
}

/** A consumer runner that records the consumer and lets the test deliver envelopes to its handler. */
function fakeConsumers() {
  const calls: { definition: unknown; handler: (envelope: { data: unknown }) => Promise<void> }[] = [];
  const runner = {
    consume: (definition: unknown, handler: (envelope: { data: unknown }) => Promise<void>) => {
      calls.push({ definition, handler });
      return { durable: 'x', stop: async () => undefined, stats: () => ({ acked: 0, retried: 0, deadLettered: 0, waited: 0 }) };
    },
  };
  return { runner: runner as unknown as NatsConsumerRunner, calls };
}

beforeEach(() => {
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('ScheduleFollower.followUnits', () => {
  it("reads every edition's snapshot units, then consumes the unit stream from its start", async () => {
    const api = fakeApi({ '/v1/editions': [edition], '/v1/editions/OG2024/snapshot': snapshot });
    const { runner, calls } = fakeConsumers();
    const seen: ScheduleUnitState[] = [];
    await new ScheduleFollower(runner).followUnits({
      schedulesUrl: 'http://schedules:3001/',
      durable: 'ingest-units',
      fetch: api.fetch,
      onUnit: async (u) => void seen.push(u),
    });
    expect(api.urls).toEqual(['http://schedules:3001/v1/editions', 'http://schedules:3001/v1/editions/OG2024/snapshot']);
    expect(seen).toEqual([unit]);
    expect(calls.map((c) => c.definition)).toEqual([
      { key: 'oms.schedules.v1.unit.{discipline}.updated', durable: 'ingest-units', deliverPolicy: 'all' },
    ]);
    await calls[0]?.handler({ data: { ...unit, version: 4 } });
    expect(seen.map((u) => u.version)).toEqual([3, 4]);
  });

  it('still follows the stream when the API is unreachable or answers something else, with a warning', async () => {
    for (const bodies of [{}, { '/v1/editions': [{ code: 'OG2024' }] }]) {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { runner, calls } = fakeConsumers();
      const onUnit = jest.fn();
      await new ScheduleFollower(runner).followUnits({ schedulesUrl: 'http://s', durable: 'd', fetch: fakeApi(bodies).fetch, onUnit });
      expect(onUnit).not.toHaveBeenCalled();
      expect(calls).toHaveLength(1);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Could not read the schedule from http:\/\/s/));
    }
  });

  it('without a schedules URL, follows the stream alone', async () => {
    const { runner, calls } = fakeConsumers();
    const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>();
    await new ScheduleFollower(runner).followUnits({ durable: 'd', fetch, onUnit: jest.fn() });
    expect(fetch).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });
});

describe('ScheduleFollower.followEvents', () => {
  it('reads the events of every edition (no time stamp: updatedAt null), then consumes the event stream', async () => {
    const api = fakeApi({ '/v1/editions': [edition], '/v1/editions/OG2024/events': [event] });
    const { runner, calls } = fakeConsumers();
    const onEvent = jest.fn().mockResolvedValue(undefined);
    await new ScheduleFollower(runner).followEvents({ schedulesUrl: 'http://s', durable: 'entries-events', fetch: api.fetch, onEvent });
    expect(onEvent).toHaveBeenCalledWith({ ...event, edition: 'OG2024', updatedAt: null });
    expect(calls.map((c) => c.definition)).toEqual([
      { key: 'oms.schedules.v1.event.{discipline}.updated', durable: 'entries-events', deliverPolicy: 'all' },
    ]);
    await calls[0]?.handler({ data: scheduleEventUpdated.example });
    expect(onEvent).toHaveBeenLastCalledWith(scheduleEventUpdated.example);
  });
});
