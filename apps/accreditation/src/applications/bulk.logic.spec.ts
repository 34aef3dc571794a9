import { allocatePlaces, quotaKey } from './bulk.logic';

describe('bulk quota allocation', () => {
  it('accepts rows in order up to the places left, then refuses each later one saying by how much it is over', () => {
    const wanted = [0, 1, 2, 3, 4].map((index) => ({ index, organisation: 'KEN', category: 'AAP' }));
    const { allocations, taken } = allocatePlaces(wanted, [{ organisation: 'KEN', category: 'AAP', quota: 5, used: 3 }]);
    expect(allocations.map((a) => a.granted)).toEqual([true, true, false, false, false]);
    expect(allocations[2]).toEqual({ index: 2, granted: false, quota: 5, used: 5, over: 1, organisation: 'KEN', category: 'AAP' });
    expect(allocations[4]).toMatchObject({ over: 3 });
    expect(taken.get(quotaKey('KEN', 'AAP'))).toBe(2);
  });

  it('keeps each (organisation, category) apart and gives a missing quota row no place', () => {
    const wanted = [
      { index: 0, organisation: 'FRA', category: 'AA' },
      { index: 1, organisation: 'FRA', category: 'AO' },
      { index: 2, organisation: 'FRA', category: 'AA' },
      { index: 3, organisation: 'FRA', category: 'IF' },
    ];
    const { allocations, taken } = allocatePlaces(wanted, [
      { organisation: 'FRA', category: 'AA', quota: 1, used: 0 },
      { organisation: 'FRA', category: 'AO', quota: 2, used: 0 },
    ]);
    expect(allocations.map((a) => a.granted)).toEqual([true, true, false, false]);
    expect(allocations[3]).toMatchObject({ quota: 0, used: 0, over: 1 });
    expect([...taken.entries()]).toEqual([
      [quotaKey('FRA', 'AA'), 1],
      [quotaKey('FRA', 'AO'), 1],
    ]);
  });
});
