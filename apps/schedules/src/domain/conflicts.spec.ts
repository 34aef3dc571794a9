import { findConflicts } from './conflicts';
import { rsc, unitNo } from './__fixtures__/rsc';
import { miniSchedule, paris, tahiti, testSchedule, testSession, testUnit } from './__fixtures__/schedule';

const HEAT = (n: number): string => rsc('ATH', 'M', '100M', 'HEAT', unitNo(n));
const SEMI = (n: number): string => rsc('ATH', 'M', '100M', 'SFNL', unitNo(n));
const FINAL = rsc('ATH', 'M', '100M', 'FNL', unitNo(1));
const OTHER_EVENT_FINAL = rsc('ATH', 'W', '100M', 'FNL', unitNo(1));

const at = (start: string, end: string): { startUtc: Date; endUtc: Date } => ({
  startUtc: paris(start),
  endUtc: paris(end),
});

describe('findConflicts', () => {
  it('finds nothing in a consistent schedule', () => {
    expect(findConflicts(miniSchedule())).toEqual([]);
  });

  describe('VENUE_OVERLAP', () => {
    it('reports two units overlapping at the same venue and location, with local times', () => {
      const schedule = testSchedule({
        units: [
          testUnit(HEAT(1), { name: 'Heat 1', ...at('2024-08-02T10:05', '2024-08-02T10:11') }),
          testUnit(HEAT(2), { name: 'Heat 2', ...at('2024-08-02T10:08', '2024-08-02T10:14') }),
        ],
      });
      const conflicts = findConflicts(schedule);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        code: 'VENUE_OVERLAP',
        key: `VENUE_OVERLAP|unit:${HEAT(1)}|unit:${HEAT(2)}`,
        units: [HEAT(2), HEAT(1)],
        sessions: [],
        venue: 'STA',
        location: 'TRACK',
      });
      expect(conflicts[0]?.message).toContain('"Heat 2" (2024-08-02 10:08-10:14) overlaps');
      expect(conflicts[0]?.message).toContain(
        '(2024-08-02 10:05-10:11) at venue STA location TRACK (Europe/Paris)',
      );
    });

    it('does not report units that only touch, or that are at other locations or venues', () => {
      const schedule = testSchedule({
        units: [
          testUnit(HEAT(1), at('2024-08-02T10:00', '2024-08-02T10:10')),
          testUnit(HEAT(2), at('2024-08-02T10:10', '2024-08-02T10:20')),
          testUnit(HEAT(3), { location: 'FIELD', ...at('2024-08-02T10:00', '2024-08-02T10:20') }),
          testUnit(HEAT(4), {
            venue: 'LDA',
            location: 'POOL',
            ...at('2024-08-02T10:00', '2024-08-02T10:20'),
          }),
          testUnit(HEAT(5), { location: null, ...at('2024-08-02T10:00', '2024-08-02T10:20') }),
        ],
      });
      expect(findConflicts(schedule)).toEqual([]);
    });

    it('compares units without a location with each other (the venue as a whole)', () => {
      const schedule = testSchedule({
        units: [
          testUnit(HEAT(1), { location: null, ...at('2024-08-02T10:00', '2024-08-02T10:10') }),
          testUnit(HEAT(2), { location: null, ...at('2024-08-02T10:05', '2024-08-02T10:15') }),
        ],
      });
      expect(findConflicts(schedule).map((c) => c.code)).toEqual(['VENUE_OVERLAP']);
    });

    it('ignores cancelled, postponed and unscheduled units but not finished ones', () => {
      const base = at('2024-08-02T10:00', '2024-08-02T10:10');
      const others = (status: 'CANCELLED' | 'POSTPONED' | 'UNSCHEDULED' | 'FINISHED') =>
        findConflicts(
          testSchedule({ units: [testUnit(HEAT(1), base), testUnit(HEAT(2), { ...base, status })] }),
        );
      expect(others('CANCELLED')).toEqual([]);
      expect(others('POSTPONED')).toEqual([]);
      expect(others('UNSCHEDULED')).toEqual([]);
      expect(others('FINISHED').map((c) => c.code)).toEqual(['VENUE_OVERLAP']);
    });

    it('reports every overlapping pair when one unit spans several others', () => {
      const schedule = testSchedule({
        units: [
          testUnit(HEAT(1), at('2024-08-02T10:00', '2024-08-02T11:00')),
          testUnit(HEAT(2), at('2024-08-02T10:10', '2024-08-02T10:20')),
          testUnit(HEAT(3), at('2024-08-02T10:30', '2024-08-02T10:40')),
        ],
      });
      expect(findConflicts(schedule).map((c) => c.units)).toEqual([
        [HEAT(2), HEAT(1)],
        [HEAT(3), HEAT(1)],
      ]);
    });

    it('reports overlapping sessions at the same venue and location', () => {
      const schedule = testSchedule({
        sessions: [
          testSession('ATH01', paris('2024-08-02T10:00'), paris('2024-08-02T13:00')),
          testSession('ATH02', paris('2024-08-02T12:30'), paris('2024-08-02T15:00')),
          testSession('SWM01', paris('2024-08-02T10:00'), paris('2024-08-02T13:00'), { venue: 'LDA' }),
        ],
      });
      const conflicts = findConflicts(schedule);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ code: 'VENUE_OVERLAP', sessions: ['ATH02', 'ATH01'], units: [] });
    });
  });

  describe('UNIT_OUTSIDE_SESSION', () => {
    const session = testSession('ATH01', paris('2024-08-02T10:00'), paris('2024-08-02T13:00'));

    it('reports a unit running past the end of its session', () => {
      const schedule = testSchedule({
        sessions: [session],
        units: [testUnit(HEAT(1), { session: 'ATH01', ...at('2024-08-02T12:50', '2024-08-02T13:20') })],
      });
      const [conflict, ...rest] = findConflicts(schedule);
      expect(rest).toEqual([]);
      expect(conflict).toMatchObject({ code: 'UNIT_OUTSIDE_SESSION', units: [HEAT(1)], sessions: ['ATH01'] });
      expect(conflict?.message).toContain(
        '(2024-08-02 12:50-13:20) is not within its session ATH01 (2024-08-02 10:00-13:00',
      );
    });

    it('reports a unit at another venue, or at another location than its session', () => {
      const pool = testSession('SWM01', paris('2024-08-02T10:00'), paris('2024-08-02T13:00'), {
        venue: 'LDA',
        location: 'POOL',
      });
      const schedule = testSchedule({
        sessions: [session, pool],
        units: [
          testUnit(HEAT(1), { session: 'SWM01', ...at('2024-08-02T10:05', '2024-08-02T10:10') }),
          testUnit(HEAT(2), {
            session: 'SWM01',
            venue: 'LDA',
            location: null,
            ...at('2024-08-02T10:15', '2024-08-02T10:20'),
          }),
          testUnit(HEAT(3), {
            session: 'ATH01',
            location: 'FIELD',
            ...at('2024-08-02T10:05', '2024-08-02T10:10'),
          }),
        ],
      });
      const messages = findConflicts(schedule).map((c) => c.message);
      expect(messages).toHaveLength(2);
      expect(messages[0]).toContain(
        'is at venue STA location TRACK but its session SWM01 is at venue LDA location POOL',
      );
      expect(messages[1]).toContain('is at venue LDA but its session SWM01 is at venue LDA location POOL');
    });

    it('accepts a unit exactly filling its session', () => {
      const schedule = testSchedule({
        sessions: [session],
        units: [testUnit(HEAT(1), { session: 'ATH01', ...at('2024-08-02T10:00', '2024-08-02T13:00') })],
      });
      expect(findConflicts(schedule)).toEqual([]);
    });
  });

  describe('PHASE_ORDER', () => {
    it('reports a final that starts before its semi-final has ended', () => {
      const schedule = testSchedule({
        units: [
          testUnit(SEMI(1), { phaseOrder: 2, ...at('2024-08-04T19:50', '2024-08-04T19:58') }),
          testUnit(SEMI(2), { phaseOrder: 2, ...at('2024-08-04T20:00', '2024-08-04T20:08') }),
          testUnit(FINAL, {
            name: 'Final',
            phaseOrder: 3,
            location: 'FIELD',
            ...at('2024-08-04T20:05', '2024-08-04T20:15'),
          }),
        ],
      });
      const conflicts = findConflicts(schedule);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        code: 'PHASE_ORDER',
        key: `PHASE_ORDER|unit:${FINAL}|order:2`,
        units: [FINAL, SEMI(2)],
      });
      expect(conflicts[0]?.message).toContain(
        '"Final" (phase order 3) starts at 2024-08-04 20:05 (Europe/Paris)',
      );
      expect(conflicts[0]?.message).toContain('ends at 2024-08-04 20:08');
    });

    it('reports each earlier phase the unit starts before', () => {
      const schedule = testSchedule({
        units: [
          testUnit(HEAT(1), { phaseOrder: 1, ...at('2024-08-04T21:00', '2024-08-04T21:10') }),
          testUnit(SEMI(1), {
            phaseOrder: 2,
            location: 'FIELD',
            ...at('2024-08-04T19:50', '2024-08-04T19:58'),
          }),
          testUnit(FINAL, { phaseOrder: 3, location: null, ...at('2024-08-04T19:00', '2024-08-04T19:10') }),
        ],
      });
      expect(findConflicts(schedule).map((c) => c.key)).toEqual([
        `PHASE_ORDER|unit:${FINAL}|order:1`,
        `PHASE_ORDER|unit:${FINAL}|order:2`,
        `PHASE_ORDER|unit:${SEMI(1)}|order:1`,
      ]);
    });

    it('allows units of the same phase order to interleave, and ignores other events and inactive units', () => {
      const schedule = testSchedule({
        units: [
          testUnit(SEMI(1), { phaseOrder: 2, ...at('2024-08-04T19:50', '2024-08-04T20:30') }),
          testUnit(SEMI(2), {
            phaseOrder: 2,
            location: 'FIELD',
            ...at('2024-08-04T19:40', '2024-08-04T19:45'),
          }),
          testUnit(OTHER_EVENT_FINAL, {
            phaseOrder: 3,
            location: null,
            ...at('2024-08-04T19:00', '2024-08-04T19:10'),
          }),
          testUnit(FINAL, {
            phaseOrder: 3,
            location: null,
            status: 'POSTPONED',
            ...at('2024-08-04T19:00', '2024-08-04T19:10'),
          }),
        ],
      });
      expect(findConflicts(schedule)).toEqual([]);
    });
  });

  describe('OUTSIDE_VENUE_OPENING', () => {
    it('reports a unit on a day before its venue opens', () => {
      const schedule = testSchedule({
        units: [testUnit(HEAT(1), at('2024-07-31T10:00', '2024-07-31T10:10'))],
      });
      const conflicts = findConflicts(schedule);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.message).toContain('on 2024-07-31');
      expect(conflicts[0]?.message).toContain(
        'outside the opening days of venue STA (2024-08-01..2024-08-11)',
      );
    });

    it('counts logical days: a session ending at 01:30 belongs to the day before, one ending at 03:30 does not', () => {
      const late = testSession('ATH09', paris('2024-08-11T20:00'), paris('2024-08-12T01:30'));
      const later = testSession('ATH10', paris('2024-08-11T20:00'), paris('2024-08-12T03:30'), {
        location: 'FIELD',
      });
      const conflicts = findConflicts(testSchedule({ sessions: [late, later] }));
      expect(conflicts.map((c) => c.sessions)).toEqual([['ATH10']]);
      expect(conflicts[0]?.message).toContain('on 2024-08-11..2024-08-12');
    });

    it('uses the venue-local date, not the UTC date', () => {
      // 16:00 in Tahiti on the last opening day is 02:00 UTC the day after.
      const unit = testUnit(rsc('SRF', 'M', 'SHORTBRD', 'RND1', unitNo(1)), {
        venue: 'TEA',
        location: 'REEF',
        startUtc: tahiti('2024-08-04T16:00'),
        endUtc: tahiti('2024-08-04T16:30'),
      });
      expect(unit.startUtc?.toISOString()).toBe('2024-08-05T02:00:00.000Z');
      expect(findConflicts(testSchedule({ units: [unit] }))).toEqual([]);
    });
  });

  describe('filters', () => {
    const schedule = testSchedule({
      sessions: [
        testSession('ATH01', paris('2024-08-02T10:00'), paris('2024-08-02T13:00')),
        testSession('ATH02', paris('2024-08-02T12:00'), paris('2024-08-02T14:00')),
      ],
      units: [
        testUnit(HEAT(1), at('2024-08-02T10:00', '2024-08-02T10:10')),
        testUnit(HEAT(2), at('2024-08-02T10:05', '2024-08-02T10:15')),
        testUnit(HEAT(3), { location: 'FIELD', ...at('2024-07-30T10:00', '2024-07-30T10:10') }),
      ],
    });

    it('returns every conflict sorted by code without a filter', () => {
      expect(findConflicts(schedule).map((c) => c.code)).toEqual([
        'VENUE_OVERLAP',
        'VENUE_OVERLAP',
        'OUTSIDE_VENUE_OPENING',
      ]);
    });

    it('keeps the conflicts involving the given units or sessions', () => {
      expect(findConflicts(schedule, { onlyUnits: [HEAT(2)] }).map((c) => c.units)).toEqual([
        [HEAT(2), HEAT(1)],
      ]);
      expect(findConflicts(schedule, { onlySessions: ['ATH01'] }).map((c) => c.sessions)).toEqual([
        ['ATH02', 'ATH01'],
      ]);
      expect(findConflicts(schedule, { onlyUnits: [HEAT(3)], onlySessions: ['ATH02'] })).toHaveLength(2);
      expect(findConflicts(schedule, { onlyUnits: [], onlySessions: [] })).toEqual([]);
    });
  });
});
