import { resultsSubjectOf } from '@podium/contracts';
import { result, scheduleUnit, SWIM_UNIT, UNIT } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { ScheduleService } from './schedule.service';

const SUBJECT = resultsSubjectOf(result({ rsc: UNIT }));

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'SCHEDULED' }), 1);
  state.applyScheduleUnit(scheduleUnit(SWIM_UNIT, { status: 'FINISHED' }), 2);
  return { state, service: new ScheduleService(state) };
}

const unitsOf = (body: Buffer): { rsc: string; live: boolean }[] =>
  (JSON.parse(body.toString('utf8')) as { units: { rsc: string; live: boolean }[] }).units;

describe('ScheduleService', () => {
  it('serves the same bytes and ETag while the schedule is the same, built once', () => {
    const { state, service } = setup();
    const views = jest.spyOn(state, 'scheduleViews');
    const first = service.body({ discipline: 'ATH' });
    expect(unitsOf(first.body).map((u) => u.rsc)).toEqual([UNIT]);
    expect(service.body({ discipline: 'ATH' })).toBe(first);
    // A document that is not a scheduled unit's result leaves the schedule as it is.
    state.applyResult(result({ rsc: 'ATHM100M--------------HEAT000100--', version: 1 }), 1, SUBJECT);
    expect(service.body({ discipline: 'ATH' })).toBe(first);
    // Another query of the same revision: its own bytes, from the same views.
    expect(unitsOf(service.body({}).body).map((u) => u.rsc).sort()).toEqual([UNIT, SWIM_UNIT].sort());
    expect(views).toHaveBeenCalledTimes(1);
  });

  it('serves new bytes and a new ETag once a unit or its results change', () => {
    const { state, service } = setup();
    const before = service.body({ discipline: 'ATH' });
    state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    const live = service.body({ discipline: 'ATH' });
    expect(live.etag).not.toBe(before.etag);
    expect(unitsOf(live.body)).toEqual([expect.objectContaining({ rsc: UNIT, live: true })]);
    expect(unitsOf(service.body({ live: true }).body).map((u) => u.rsc)).toEqual([UNIT]);

    state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'RUNNING', version: 2 }), 3);
    const rescheduled = service.body({ discipline: 'ATH' });
    expect(rescheduled.etag).not.toBe(live.etag);
    expect(JSON.parse(rescheduled.body.toString('utf8'))).toMatchObject({ units: [{ rsc: UNIT, status: 'RUNNING' }] });
  });

  it('answers a query with the same bytes and ETag as an identical state elsewhere (another replica, a restart)', () => {
    const a = setup();
    const b = setup();
    a.state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    b.state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    expect(b.service.body({}).etag).toBe(a.service.body({}).etag);
  });
});
