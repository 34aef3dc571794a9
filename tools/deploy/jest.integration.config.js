const base = require('../../jest.preset.js');
const nm = `${__dirname}/../../node_modules`;

module.exports = {
  displayName: 'deploy-checks:integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  // kubernetes-models as in jest.config.js, and the preset's ESM-only packages (jose, under @podium/testing, which
  // starts the built services).
  transformIgnorePatterns: ['/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|jose|content-disposition|@fastify/static)/)'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^kubernetes-models/(.+)$': `${nm}/kubernetes-models/$1.js`,
    '^@kubernetes-models/(apimachinery)/(.+)$': `${nm}/@kubernetes-models/$1/$2.js`,
    '^@kubernetes-models/(base|validate)$': `${nm}/@kubernetes-models/$1/dist/index.js`,
    '^@kubernetes-models/validate/runtime/(.+)$': `${nm}/@kubernetes-models/validate/dist/runtime/$1.js`,
  },
  testTimeout: 120000,
  maxWorkers: 1,
};
