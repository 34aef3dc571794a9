import { eventCodeOf, GENDERS, isRsc, parseRsc, parseRscOrThrow, phaseCodeOf, rscLevel, RSC_FIELDS, RSC_LENGTH } from './rsc';

const UNIT = 'ATHM100M--------------FNL-000100--';

describe('parseRsc', () => {
  it('splits a valid unit RSC into its fields (3/1/8/10/4/8)', () => {
    expect(RSC_FIELDS.reduce((sum, f) => sum + f.length, 0)).toBe(RSC_LENGTH);
    const result = parseRsc(UNIT);
    expect(result).toEqual({
      ok: true,
      value: {
        code: UNIT,
        discipline: 'ATH',
        gender: 'M',
        eventType: '100M----',
        eventModifier: '----------',
        phase: 'FNL-',
        unit: '000100--',
        eventCode: 'ATHM100M--------------------------',
        phaseCode: 'ATHM100M--------------FNL---------',
      },
    });
  });

  it('derives the event code (phase+unit filled) and phase code (unit filled)', () => {
    const rsc = parseRscOrThrow('SWMW4X100MFR----------SFNL000200--');
    expect(rsc.eventCode).toBe('SWMW4X100MFR----------------------');
    expect(rsc.phaseCode).toBe('SWMW4X100MFR----------SFNL--------');
    expect(rsc.eventCode).toHaveLength(34);
    expect(rsc.phaseCode).toHaveLength(34);
    expect(eventCodeOf(rsc.code)).toBe(rsc.eventCode);
    expect(phaseCodeOf(rsc.code)).toBe(rsc.phaseCode);
    // derived codes are valid RSCs themselves
    expect(isRsc(rsc.eventCode)).toBe(true);
    expect(isRsc(rsc.phaseCode)).toBe(true);
  });

  it('accepts every gender and rejects others', () => {
    for (const g of GENDERS) {
      expect(isRsc(`ATH${g}${UNIT.slice(4)}`)).toBe(true);
    }
    expect(parseRsc(`ATHQ${UNIT.slice(4)}`)).toEqual({
      ok: false,
      error: 'RSC gender (position 4) must be one of M, W, X, O, -, got "Q"',
    });
    // '-': not gender-specific, as real feeds use for meet-level units (e.g. OWS-------------------MEET000100--).
    expect(parseRsc(`ATH-${UNIT.slice(4)}`)).toMatchObject({ ok: true, value: { gender: '-' } });
  });

  it.each([
    [UNIT.slice(0, 33), 'RSC must be 34 characters, got 33'],
    [`${UNIT}-`, 'RSC must be 34 characters, got 35'],
    ['', 'RSC must be 34 characters, got 0'],
  ])('rejects wrong length %j', (code, error) => {
    expect(parseRsc(code)).toEqual({ ok: false, error });
  });

  it('rejects lowercase with a hint', () => {
    const result = parseRsc(UNIT.toLowerCase());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe(
      `RSC contains invalid character "a" at position 1: allowed are A-Z, 0-9 and '-' (RSC must be uppercase)`,
    );
  });

  it('rejects other characters naming the position', () => {
    const bad = `${UNIT.slice(0, 10)}_${UNIT.slice(11)}`;
    expect(parseRsc(bad)).toEqual({
      ok: false,
      error: `RSC contains invalid character "_" at position 11: allowed are A-Z, 0-9 and '-'`,
    });
    expect(isRsc(`${UNIT.slice(0, 33)} `)).toBe(false);
  });

  it('rejects a discipline that is not 3 letters', () => {
    expect(parseRsc(`AT1${UNIT.slice(3)}`)).toEqual({
      ok: false,
      error: 'RSC discipline must be 3 letters A-Z, got "AT1"',
    });
    expect(isRsc(`-AT${UNIT.slice(3)}`)).toBe(false);
  });

  it('rejects non-strings without throwing', () => {
    expect(parseRsc(42 as unknown as string)).toEqual({ ok: false, error: 'RSC must be a string, got number' });
    expect(parseRsc(null as unknown as string)).toEqual({ ok: false, error: 'RSC must be a string, got null' });
    expect(isRsc(undefined)).toBe(false);
  });

  it('parseRscOrThrow throws the validation message', () => {
    expect(() => parseRscOrThrow('nope')).toThrow(new TypeError('RSC must be 34 characters, got 4'));
    expect(() => eventCodeOf('nope')).toThrow(TypeError);
  });

  it('tells the level of a code', () => {
    const unit = parseRscOrThrow(UNIT);
    expect(rscLevel(unit)).toBe('unit');
    expect(rscLevel(parseRscOrThrow(unit.phaseCode))).toBe('phase');
    expect(rscLevel(parseRscOrThrow(unit.eventCode))).toBe('event');
    expect(rscLevel(parseRscOrThrow(`ATHM${'-'.repeat(30)}`))).toBe('discipline');
  });
});
