import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Helpers shared by this app's tests only (excluded from the build by tsconfig.app.json).
    files: ['src/test-support/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
