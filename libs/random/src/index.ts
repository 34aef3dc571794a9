// The public API of @podium/random: export here only what other projects use.
export { seededRandom } from './seeded-random';
