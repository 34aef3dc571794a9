// Root ESLint flat config. Module boundaries are enforced on two tag axes:
//   type:  app | platform | contracts | util | testing | tool | api-client | sdk | example
//   scope: <service> | shared   (one scope per service of libs/contracts/src/services.json)
// on every source file of apps/ and libs/ and on every TypeScript file of tools/ (each folder of tools/ is a project).
// `npx nx run lint-rules:check-boundaries` proves the rules bite (run by `npm test`).
import nx from '@nx/eslint-plugin';
import { readFileSync } from 'node:fs';

/** The one list of services: each gets its scope constraint, so adding a service to the list is enough. */
const { services } = JSON.parse(readFileSync(new URL('./libs/contracts/src/services.json', import.meta.url), 'utf8'));
const serviceScopes = services.map(({ name }) => ({
  sourceTag: `scope:${name}`,
  onlyDependOnLibsWithTags: [`scope:${name}`, 'scope:shared'],
}));

/**
 * Tools reach the shared code of another tool by its module path: tools have no npm-scope alias. Only these modules,
 * and only from tools/<folder>/ files: the deploy checks' app list and NATS permission rules that the chart's
 * permission writer (tools/helm) renders, the volunteers load (tools/volunteers/load.ts runs the benchmarks' loader), and
 * the workforce members made from its people (tools/workforce/load-demo.ts). The seeded random generator is @podium/random.
 */
const TOOL_TO_TOOL = ['../deploy/src/apps', '../deploy/src/nats-permissions', '../bench/volunteers-load', '../bench/workforce-load'];

/**
 * @param {string[]} allow imports the boundary rule lets through
 * @param {{ tests?: boolean }} [options] tests: the rule of test files (*.spec.ts, *.integration-spec.ts) of libs and
 *   tools, which may also use the testing libs: they reach PostgreSQL and NATS as every other test does
 *   (@podium/test-servers depends on nothing of ours, so platform's tests use it without a cycle).
 */
const boundaries = (allow, { tests = false } = {}) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    checkDynamicDependenciesExceptions: [],
    allow,
    depConstraints: [
      // type axis: what kind of project may use what kind
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util', 'type:testing'] },
      { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util', ...(tests ? ['type:testing'] : [])] },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util', 'type:testing'] },
      // the partner SDK (packages/partner-sdk, published to partners): the contracts and pure helpers only, nothing of
      // the platform (a partner does not have it); its tests may use the testing libs. Examples use the SDK alone.
      { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', ...(tests ? ['type:testing'] : [])] },
      { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:sdk'] },
      // the typed HTTP clients generated from docs/openapi (libs/api-clients): for the tools, depending on nothing of ours;
      // no app and no lib may use them (a service calls another through its events, not a tool's client)
      { sourceTag: 'type:api-client', onlyDependOnLibsWithTags: [] },
      // developer tools (tools/*): may use the libs and the API clients, never an app
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util', 'type:api-client', ...(tests ? ['type:testing'] : [])] },
      // scope axis: a service sees its own scope and the shared one, never another service's
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      ...serviceScopes,
    ],
  },
];

/** A lib is used through its public entry point (`@podium/platform`), never a file inside its src/. */
const NO_DEEP_IMPORTS = [
  {
    group: ['@podium/*/src', '@podium/*/src/**', '**/libs/*/src', '**/libs/*/src/**'],
    message: "Import the lib's public entry point (@podium/<lib>); export what you need from its index if it is public API.",
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/src/generated/**', '**/.nx', 'tmp/**', '**/*.d.ts'],
  },
  {
    files: ['**/src/**/*.ts', '**/src/**/*.js', 'tools/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries([]) },
  },
  {
    files: ['tools/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(TOOL_TO_TOOL) },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: NO_DEEP_IMPORTS }],
    },
  },
  {
    // The testing lib is for tests only: production code must not import it.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/src/test-support/**', 'libs/testing/**', 'libs/test-servers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@podium/testing', message: 'The testing lib is for tests only.' },
            { name: '@podium/test-servers', message: 'The test servers lib is for tests only.' },
          ],
          patterns: NO_DEEP_IMPORTS,
        },
      ],
    },
  },
  {
    files: ['libs/**/*.spec.ts', 'libs/**/*.integration-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries([], { tests: true }) },
  },
  {
    files: ['packages/**/*.spec.ts', 'packages/**/*.integration-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries([], { tests: true }) },
  },
  {
    files: ['tools/**/*.spec.ts', 'tools/**/*.integration-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(TOOL_TO_TOOL, { tests: true }) },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
