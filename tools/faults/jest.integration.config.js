// The fault suite: real nats-server processes (a cluster on loopback), the built services run as processes, faults
// injected while they work. One file at a time: each starts its own cluster and services and kills parts of them.
module.exports = {
  displayName: 'faults:integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
