import { runningAt, type UnitColumns, unitFilter, unitQuerySchema } from './units.query';

describe('unit queries', () => {
  const now = new Date('2024-08-02T18:00:00Z');

  it('parses and validates the query string', () => {
    expect(unitQuerySchema.parse({ status: 'RUNNING,DELAYED', medal: 'true', limit: '20' })).toMatchObject({
      status: ['RUNNING', 'DELAYED'],
      medal: true,
      limit: 20,
    });
    expect(unitQuerySchema.parse({}).limit).toBe(100);
    expect(unitQuerySchema.safeParse({ status: 'RUNNING,NAPPING' }).success).toBe(false);
    expect(unitQuerySchema.safeParse({ limit: '501' }).success).toBe(false);
    expect(unitQuerySchema.safeParse({ cursor: 'abc' }).success).toBe(false);
    expect(unitQuerySchema.safeParse({ color: 'red' }).success).toBe(false); // unknown parameters are refused
  });

  /** A unit's columns: a SCHEDULED ATH final in STA on 2024-08-02, 17:00-19:00 UTC; `patch` changes some. */
  const unit = (patch: Partial<UnitColumns> = {}): UnitColumns => ({
    localDate: '2024-08-02',
    logicalDate: '2024-08-02',
    venue: 'STA',
    discipline: 'ATH',
    eventRsc: 'ATHM100M--------------------------',
    session: 'ATH02',
    status: 'SCHEDULED',
    medal: true,
    startUtc: new Date('2024-08-02T17:00:00Z'),
    endUtc: new Date('2024-08-02T19:00:00Z'),
    ...patch,
  });
  const filter = (query: Record<string, string>) => unitFilter(unitQuerySchema.parse(query), now);

  it('keeps a unit when every filter given equals its column', () => {
    const all = { date: '2024-08-02', logicalDate: '2024-08-02', venue: 'STA', discipline: 'ATH', medal: 'true' };
    expect(filter({})(unit())).toBe(true);
    expect(filter(all)(unit())).toBe(true);
    expect(filter({ event: 'ATHM100M--------------------------', session: 'ATH02', status: 'RUNNING,SCHEDULED' })(unit())).toBe(true);
    expect(filter({ ...all, medal: 'false' })(unit())).toBe(false);
    expect(filter({ date: '2024-08-03' })(unit())).toBe(false);
    expect(filter({ logicalDate: '2024-08-01' })(unit())).toBe(false);
    expect(filter({ venue: 'AQC' })(unit())).toBe(false);
    expect(filter({ discipline: 'SWM' })(unit())).toBe(false);
    expect(filter({ event: 'ATHW100M--------------------------' })(unit())).toBe(false);
    expect(filter({ session: 'ATH03' })(unit())).toBe(false);
    expect(filter({ status: 'RUNNING,DELAYED' })(unit())).toBe(false);
  });

  it('never matches a NULL column (an unscheduled unit has no venue, session or dates)', () => {
    const unscheduled = unit({ venue: null, session: null, localDate: null, logicalDate: null, startUtc: null, endUtc: null });
    expect(filter({ venue: 'STA' })(unscheduled)).toBe(false);
    expect(filter({ session: 'ATH02' })(unscheduled)).toBe(false);
    expect(filter({ date: '2024-08-02' })(unscheduled)).toBe(false);
    expect(filter({ logicalDate: '2024-08-02' })(unscheduled)).toBe(false);
    expect(filter({ discipline: 'ATH' })(unscheduled)).toBe(true);
  });

  it('counts as running now a live status, or a planned unit whose slot contains now', () => {
    for (const status of ['GETTING_READY', 'RUNNING', 'SCHEDULED_BREAK', 'INTERRUPTED']) {
      expect(runningAt(unit({ status, startUtc: null, endUtc: null }), now)).toBe(true);
    }
    for (const status of ['SCHEDULED', 'RESCHEDULED', 'DELAYED']) {
      expect(runningAt(unit({ status }), now)).toBe(true);
      expect(runningAt(unit({ status, startUtc: now }), now)).toBe(true); // the start is in the slot
      expect(runningAt(unit({ status, endUtc: now }), now)).toBe(false); // the end is not
      expect(runningAt(unit({ status, startUtc: new Date('2024-08-02T18:30:00Z') }), now)).toBe(false);
    }
    for (const status of ['UNSCHEDULED', 'FINISHED', 'POSTPONED', 'CANCELLED']) {
      expect(runningAt(unit({ status }), now)).toBe(false);
      expect(runningAt(unit({ status, startUtc: null, endUtc: null }), now)).toBe(false);
    }
    expect(filter({ runningNow: 'true' })(unit())).toBe(true);
    expect(filter({ runningNow: 'false' })(unit())).toBe(false);
    expect(filter({ runningNow: 'false' })(unit({ status: 'FINISHED' }))).toBe(true);
  });

  it('leaves a planned unit without a start or an end out of runningNow true and false (SQL NULL)', () => {
    for (const patch of [{ startUtc: null }, { endUtc: null }, { startUtc: null, endUtc: null }]) {
      expect(runningAt(unit(patch), now)).toBeNull();
      expect(filter({ runningNow: 'true' })(unit(patch))).toBe(false);
      expect(filter({ runningNow: 'false' })(unit(patch))).toBe(false);
    }
    // A comparison that is false decides, whatever the other one is.
    expect(runningAt(unit({ startUtc: new Date('2024-08-02T18:30:00Z'), endUtc: null }), now)).toBe(false);
    expect(runningAt(unit({ startUtc: null, endUtc: new Date('2024-08-02T17:30:00Z') }), now)).toBe(false);
  });
});
