import { resultsSubjectOf } from '@podium/contracts';
import { captureHotReads, textOf } from '../test-support/hot-reads';
import { result, scheduleUnit, SWIM_UNIT, UNIT } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { SCHEDULE_CACHE } from '../common/http-cache';
import { ScheduleService } from './schedule.service';

const SUBJECT = resultsSubjectOf(result({ rsc: UNIT }));

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'SCHEDULED' }), 1);
  state.applyScheduleUnit(scheduleUnit(SWIM_UNIT, { status: 'FINISHED' }), 2);
  const hot = captureHotReads();
  const service = new ScheduleService(state, hot.hotReads);
  service.onModuleInit();
  return { state, service, hot };
}

const unitsOf = (answer: Parameters<typeof textOf>[0]): { rsc: string; live: boolean }[] =>
  (JSON.parse(textOf(answer)) as { units: { rsc: string; live: boolean }[] }).units;

describe('ScheduleService', () => {
  it('serves the same bytes and ETag while the schedule is the same, built once', () => {
    const { state, service } = setup();
    const views = jest.spyOn(state, 'scheduleViews');
    const first = service.answer({ discipline: 'ATH' });
    expect(unitsOf(first).map((u) => u.rsc)).toEqual([UNIT]);
    expect(first.cacheControl).toBe(SCHEDULE_CACHE);
    expect(service.answer({ discipline: 'ATH' })).toBe(first);
    // A document that is not a scheduled unit's result leaves the schedule as it is.
    state.applyResult(result({ rsc: 'ATHM100M--------------HEAT000100--', version: 1 }), 1, SUBJECT);
    expect(service.answer({ discipline: 'ATH' })).toBe(first);
    // Another query of the same revision: its own bytes, from the same views.
    expect(unitsOf(service.answer({})).map((u) => u.rsc).sort()).toEqual([UNIT, SWIM_UNIT].sort());
    expect(views).toHaveBeenCalledTimes(1);
  });

  it('serves new bytes and a new ETag once a unit or its results change', () => {
    const { state, service } = setup();
    const before = service.answer({ discipline: 'ATH' });
    state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    const live = service.answer({ discipline: 'ATH' });
    expect(live.etag).not.toBe(before.etag);
    expect(unitsOf(live)).toEqual([expect.objectContaining({ rsc: UNIT, live: true })]);
    expect(unitsOf(service.answer({ live: true })).map((u) => u.rsc)).toEqual([UNIT]);

    state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'RUNNING', version: 2 }), 3);
    const rescheduled = service.answer({ discipline: 'ATH' });
    expect(rescheduled.etag).not.toBe(live.etag);
    expect(JSON.parse(textOf(rescheduled))).toMatchObject({ units: [{ rsc: UNIT, status: 'RUNNING' }] });
  });

  it('answers a query with the same bytes and ETag as an identical state elsewhere (another replica, a restart)', () => {
    const a = setup();
    const b = setup();
    a.state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    b.state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    expect(b.service.answer({}).etag).toBe(a.service.answer({}).etag);
  });

  it('answers a valid query from memory, the answer of the controller, and leaves an invalid one to the controller', () => {
    const { service, hot } = setup();
    expect(hot.routes()).toEqual(['/v1/schedule']);
    const read = (query: Record<string, string>) => hot.read('/v1/schedule', { url: '/v1/schedule?…', query });
    expect(read({ discipline: 'ATH', live: 'false' })).toBe(service.answer({ discipline: 'ATH', live: false }));
    expect(read({})).toBe(service.answer({}));
    expect(read({ discipline: 'athletics' })).toBeUndefined();
    expect(read({ live: 'maybe' })).toBeUndefined();
    expect(read({ discipline: 'ATH', page: '2' })).toBeUndefined();
  });
});
