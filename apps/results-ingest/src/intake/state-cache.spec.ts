import { StateCache } from './state-cache';

describe('StateCache', () => {
  it('keeps the last value written per key and forgets the oldest beyond its bound', () => {
    const cache = new StateCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3); // a is now the newest
    cache.set('c', 4);
    expect(cache.get('a')).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(4);
    expect(cache.size).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
