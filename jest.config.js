/**
 * Three projects. `unit`: pure code (no database, no build, no server), the
 * fast loop: `npm run test:unit`. `gates`: the CI gates shown failing on planted
 * violations (`npm run test:gates`). `e2e`: everything that needs PostgreSQL,
 * the built server or the browser; its global setup builds dist/ and the
 * console and starts PostgreSQL, only when one of its tests is selected.
 * `npm test` runs them all.
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
      roots: ['<rootDir>/api/src', '<rootDir>/tests', '<rootDir>/bench'],
      testMatch: [
        '<rootDir>/api/src/**/*.spec.ts',
        '<rootDir>/tests/admin/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
        '<rootDir>/tests/cel/conformance.spec.ts',
      ],
    },
    {
      // The CI gates (lint, format, types, dependency rules) shown failing on planted violations: no database,
      // but a type-aware lint and a TypeScript program take seconds, too slow for the unit loop.
      ...shared,
      displayName: 'gates',
      roots: ['<rootDir>/tests/gates'],
      testMatch: ['<rootDir>/tests/gates/**/*.spec.ts'],
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
