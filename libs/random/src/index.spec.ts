import * as random from './index';

describe('@podium/random', () => {
  it('exports exactly its public API', () => {
    // Add each name here when you export it from src/index.ts: the lib's API is a decision, not an accident.
    expect(Object.keys(random).sort()).toEqual(['seededRandom']);
  });
});
