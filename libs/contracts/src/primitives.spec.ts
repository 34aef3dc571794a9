import { isoDateSchema, nocCodeSchema } from './primitives';

describe('nocCodeSchema', () => {
  it.each(['JPN', 'FRA', 'AIN', 'EOR'])('accepts %s', (code) => {
    expect(nocCodeSchema.parse(code)).toBe(code);
  });

  it.each(['jpn', 'Fra', 'FR', 'FRAN', 'FR1', ''])('refuses %j, saying what a code looks like', (code) => {
    const result = nocCodeSchema.safeParse(code);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be a 3-letter IOC code in uppercase, e.g. JPN');
  });
});

describe('isoDateSchema', () => {
  it('accepts real calendar dates only', () => {
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2023-02-29', '2024-02-30', '2024-7-27', '27/07/2024', '2024-07-27T10:00:00Z']) {
      expect(isoDateSchema.safeParse(bad).error?.issues[0]?.message).toBe('must be a date YYYY-MM-DD');
    }
  });
});
