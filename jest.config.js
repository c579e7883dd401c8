/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Sources use NodeNext-style './x.js' specifiers; map them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // No in-process test may resolve a name past loopback: the lookup hook answers every lookup.
  setupFiles: ['<rootDir>/__fixtures__/loopback-only.cjs'],
  // The e2e tests run bundles built fresh from src/ for this run, never a stale dist/.
  globalSetup: '<rootDir>/test-support/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/test-support/jest-global-teardown.mjs',
  clearMocks: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/*/index.ts', '!src/action/no-oidc-http-client.ts'],
  coverageDirectory: 'coverage',
  coverageReporters: ['json-summary', 'text', 'lcov'],
  testTimeout: 60000
}
