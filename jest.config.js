/**
 * Two projects. `unit`: pure code (no database, no build, no server), the
 * fast loop: `npm run test:unit`. `e2e`: everything that needs PostgreSQL,
 * the built server or the browser; its global setup builds dist/ and the
 * console and starts PostgreSQL, only when one of its tests is selected.
 * `npm test` runs both.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/api/src', '<rootDir>/tests'],
      testMatch: [
        '<rootDir>/api/src/**/*.spec.ts',
        '<rootDir>/tests/admin/**/*.spec.ts',
        '<rootDir>/tests/cel/conformance.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/tests'],
      // The CEL differential test is a 10,000-case property run: with the slow suites, not the fast loop.
      testMatch: ['**/*.e2e-spec.ts', '<rootDir>/tests/cel/differential.spec.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.mjs',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.mjs',
    },
  ],
};
