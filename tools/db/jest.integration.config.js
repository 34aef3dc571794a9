const unit = require('./jest.config.js');

module.exports = {
  ...unit,
  displayName: 'db-tools:integration',
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
