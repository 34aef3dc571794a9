// Shared Jest preset: @swc/jest (with decorator metadata, which Nest's DI needs) and the
// tsconfig path aliases mapped to the libs' sources.
const path = require('node:path');
const fs = require('node:fs');
const { compilerOptions } = require('./tsconfig.base.json');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  // ESM-only packages (jose; content-disposition under @fastify/static, which serves the OpenAPI UI;
  // json-schema-ref-parser under @apidevtools/swagger-parser, which validates the OpenAPI documents): swc transforms
  // them; other node_modules stay untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(jose|content-disposition|@fastify/static|@apidevtools/json-schema-ref-parser)/)'],
  clearMocks: true,
  restoreMocks: true,
};
