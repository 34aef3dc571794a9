import { scheduleUnitStateSchema } from '@podium/contracts';
import { M100_FINAL, SRF_FINAL, SRF_HEAT1 } from './__fixtures__/mini-pack';
import { miniSchedule, paris, sessionOf, T0, TEST_EDITION, testUnit, unitOf } from './__fixtures__/schedule';
import { rsc, unitNo } from './__fixtures__/rsc';
import { localTimes, sessionViewIn, unitView, unitViewIn } from './view';

describe('unitView', () => {
  const schedule = miniSchedule();

  it('gives the published unit state, valid against the contract', () => {
    const view = unitView(unitOf(schedule, M100_FINAL), 'Europe/Paris', TEST_EDITION);
    expect(view).toEqual({
      edition: 'OG2024',
      rsc: M100_FINAL,
      discipline: 'ATH',
      eventRsc: 'ATHM100M--------------------------',
      phaseRsc: 'ATHM100M--------------FNL---------',
      name: "Men's 100m Final",
      medal: true,
      status: 'SCHEDULED',
      startUtc: '2024-08-04T19:50:00.000Z',
      endUtc: '2024-08-04T20:00:00.000Z',
      venue: 'STA',
      location: 'TRACK',
      timeZone: 'Europe/Paris',
      startLocal: '2024-08-04T21:50:00+02:00',
      endLocal: '2024-08-04T22:00:00+02:00',
      logicalDate: '2024-08-04',
      session: 'ATH02',
      version: 1,
      change: null,
      updatedAt: T0.toISOString(),
    });
    expect(scheduleUnitStateSchema.safeParse(view).success).toBe(true);
  });

  it("uses the venue's zone: Tahiti times and logical date are local to Tahiti", () => {
    const view = unitViewIn(schedule, unitOf(schedule, SRF_HEAT1));
    expect(view).toMatchObject({
      timeZone: 'Pacific/Tahiti',
      startUtc: '2024-07-27T18:00:00.000Z',
      startLocal: '2024-07-27T08:00:00-10:00',
      logicalDate: '2024-07-27',
    });
  });

  it('puts a unit starting after midnight, before the logical day end, on the previous day', () => {
    const unit = testUnit(rsc('ATH', 'M', '100M', 'HEAT', unitNo(1)), {
      startUtc: paris('2024-08-05T00:30'),
      endUtc: paris('2024-08-05T01:00'),
    });
    expect(unitView(unit, 'Europe/Paris', TEST_EDITION).logicalDate).toBe('2024-08-04');
    expect(unitView(unit, 'Europe/Paris', { ...TEST_EDITION, logicalDayEnd: '00:00' }).logicalDate).toBe(
      '2024-08-05',
    );
  });

  it('has null times and zone for an unscheduled unit without venue', () => {
    const unit = { ...unitOf(schedule, SRF_FINAL), venue: null, location: null };
    const view = unitView(unit, null, TEST_EDITION);
    expect(view).toMatchObject({
      status: 'UNSCHEDULED',
      startUtc: null,
      timeZone: null,
      startLocal: null,
      logicalDate: null,
    });
    expect(scheduleUnitStateSchema.safeParse(view).success).toBe(true);
  });

  it("falls back to the edition's zone for a timed unit without venue", () => {
    const unit = testUnit(rsc('ATH', 'M', '100M', 'HEAT', unitNo(1)), {
      venue: null,
      location: null,
      startUtc: new Date('2024-08-02T08:00:00Z'),
      endUtc: new Date('2024-08-02T08:10:00Z'),
    });
    expect(unitView(unit, null, TEST_EDITION)).toMatchObject({
      timeZone: 'Europe/Paris',
      startLocal: '2024-08-02T10:00:00+02:00',
    });
  });

  it('carries the last change', () => {
    const change = { id: 'c-1', kind: 'moveUnit', reason: 'TV', by: 'u-1' };
    const view = unitView(
      { ...unitOf(schedule, M100_FINAL), lastChange: change },
      'Europe/Paris',
      TEST_EDITION,
    );
    expect(view.change).toEqual(change);
  });
});

describe('sessionViewIn', () => {
  it('gives local times in the venue zone', () => {
    const schedule = miniSchedule();
    expect(sessionViewIn(schedule, sessionOf(schedule, 'SRF01'))).toMatchObject({
      code: 'SRF01',
      venue: 'TEA',
      location: 'REEF',
      timeZone: 'Pacific/Tahiti',
      startLocal: '2024-07-27T07:00:00-10:00',
      endLocal: '2024-07-27T17:00:00-10:00',
      logicalDate: '2024-07-27',
      status: 'SCHEDULED',
      version: 1,
    });
  });
});

describe('localTimes', () => {
  it('is all null without times or venue', () => {
    expect(localTimes(null, null, null, TEST_EDITION)).toEqual({
      timeZone: null,
      startLocal: null,
      endLocal: null,
      logicalDate: null,
    });
  });

  it('keeps the venue zone even without times', () => {
    expect(localTimes(null, null, 'Pacific/Tahiti', TEST_EDITION).timeZone).toBe('Pacific/Tahiti');
  });
});
