module.exports = {
  displayName: 'partner-sdk:integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
