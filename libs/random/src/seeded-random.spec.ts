import { seededRandom } from './seeded-random';

describe('seededRandom', () => {
  it('gives the sequence every seeded data set and test was made with (mulberry32)', () => {
    const take = (seed: number, n: number): number[] => {
      const next = seededRandom(seed);
      return Array.from({ length: n }, () => next());
    };
    expect(take(0, 3)).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    expect(take(42, 3)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('repeats itself for the same seed, differs for another, and stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const seen = Array.from({ length: 10_000 }, () => a());
    expect(seen).toEqual(Array.from({ length: 10_000 }, () => b()));
    expect(seen.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, () => c()));
    expect(seen.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('reads the seed as an unsigned 32-bit integer (-1 is 2^32 - 1)', () => {
    expect(seededRandom(-1)()).toBe(seededRandom(2 ** 32 - 1)());
  });
});
