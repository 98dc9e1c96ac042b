/** Jest runs TypeScript through SWC (fast, no type-check); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  cacheDirectory: '<rootDir>/.cache/jest',
  maxWorkers: 2,
  // Tier 1: every stack a test synthesizes is parsed by real Terraform and OpenTofu (docs/testing.md).
  globalSetup: '<rootDir>/test/support/cli-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/cli-global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/cli-parse-hook.ts'],
};
