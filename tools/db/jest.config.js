const { join } = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'db-tools',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Like the CLI (src/register-paths.ts): only the migration runner of the platform, not NestJS & co.
  moduleNameMapper: { ...preset.moduleNameMapper, '^@podium\\/platform$': join(__dirname, '..', '..', 'libs', 'platform', 'src', 'migrations', 'index.ts') },
};
