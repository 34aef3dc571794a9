// One trace from a venue's POST to the CIS and SSE clients: the built services run as processes (as deployed), their
// spans exported over OTLP/HTTP to a receiver in the test (docs/tracing.md).
module.exports = {
  displayName: 'tracing:integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
