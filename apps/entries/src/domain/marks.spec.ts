import { ageOn } from './age';
import { eventLabel, personLabel, printName } from './labels';
import { isBetter, meetsStandard, parseMark } from './marks';

describe('parseMark', () => {
  it.each([
    ['9.58', 9.58],
    ['10.00', 10],
    ['1:44.70', 104.7],
    ['2:08:10', 7690],
    ['59.99', 59.99],
  ])('reads the time %s as %d seconds', (text, seconds) => {
    const mark = parseMark('time', text);
    expect(mark.ok && mark.value).toBeCloseTo(seconds, 6);
  });

  it.each(['1:60.00', '1:2:3:4', 'ten', '9,58', '', '1:75:00'])('rejects the time %j', (text) => {
    expect(parseMark('time', text).ok).toBe(false);
  });

  it('reads distances and points, and rejects anything else', () => {
    expect(parseMark('distance', '2.33')).toEqual({ ok: true, value: 2.33 });
    expect(parseMark('points', '8460')).toEqual({ ok: true, value: 8460 });
    expect(parseMark('distance', '2m33')).toEqual({ ok: false, error: "'2m33' is not a distance in metres" });
  });
});

describe('standards', () => {
  it('compares marks in the right direction', () => {
    expect(meetsStandard(9.99, 10, 'lower')).toBe(true);
    expect(meetsStandard(10, 10, 'lower')).toBe(true);
    expect(meetsStandard(10.01, 10, 'lower')).toBe(false);
    expect(meetsStandard(2.33, 2.33, 'higher')).toBe(true);
    expect(meetsStandard(2.32, 2.33, 'higher')).toBe(false);
    expect(isBetter(9.9, 10, 'lower')).toBe(true);
    expect(isBetter(9.9, 10, 'higher')).toBe(false);
  });
});

describe('age and labels', () => {
  it('counts whole years on a date', () => {
    expect(ageOn('2008-12-31', '2024-12-31')).toBe(16);
    expect(ageOn('2009-01-01', '2024-12-31')).toBe(15);
    expect(ageOn('2000-02-29', '2024-02-28')).toBe(23);
  });

  it('writes short event codes and names', () => {
    expect(eventLabel('ATHM100M--------------------------')).toBe('ATHM100M');
    expect(personLabel({ givenName: 'Abdul Hakim', familyName: 'Sani Brown' })).toBe('Abdul Hakim SANI BROWN');
    expect(printName({ givenName: 'Abdul Hakim', familyName: 'Sani Brown' })).toBe('SANI BROWN Abdul Hakim');
    expect(personLabel({ givenName: '', familyName: 'Ronaldo' })).toBe('RONALDO');
  });
});
