module.exports = {
  displayName: 'api-docs',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
  // the browser tests start Chromium: one file at a time, with room for a loaded machine
  testTimeout: 120000,
  maxWorkers: 1,
};
