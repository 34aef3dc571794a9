import { unitQuerySchema, unitWhere } from './units.query';

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

  it('maps each filter onto the unit columns of the edition', () => {
    const where = unitWhere(
      'OG2024',
      unitQuerySchema.parse({ date: '2024-08-02', logicalDate: '2024-08-02', venue: 'STA', discipline: 'ATH', medal: 'false' }),
      now,
    );
    expect(where).toEqual({
      AND: [
        { edition: 'OG2024' },
        { localDate: '2024-08-02' },
        { logicalDate: '2024-08-02' },
        { venue: 'STA' },
        { discipline: 'ATH' },
        { medal: false },
      ],
    });
  });

  /** The second condition of the AND list (the first is the edition). */
  const second = (where: ReturnType<typeof unitWhere>) => (Array.isArray(where.AND) ? where.AND[1] : undefined);

  it('counts as running now a live status, or a planned unit whose slot contains now', () => {
    const running = unitWhere('OG2024', unitQuerySchema.parse({ runningNow: 'true' }), now);
    expect(second(running)).toEqual({
      OR: [
        { status: { in: ['GETTING_READY', 'RUNNING', 'SCHEDULED_BREAK', 'INTERRUPTED'] } },
        { status: { in: ['SCHEDULED', 'RESCHEDULED', 'DELAYED'] }, startUtc: { lte: now }, endUtc: { gt: now } },
      ],
    });
    const notRunning = unitWhere('OG2024', unitQuerySchema.parse({ runningNow: 'false' }), now);
    expect(second(notRunning)).toEqual({ NOT: second(running) });
  });
});
