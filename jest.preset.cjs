// Shared jest settings: SWC compiles TypeScript to CommonJS for the test run only, and workspace
// packages resolve to their sources so tests never wait for a build.
const path = require('node:path');

const root = __dirname;
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const common = {
  // ESM-only packages that tests use (jose, as a third party verifying our tokens) are compiled to
  // CommonJS like our sources; the rest of node_modules is left alone.
  transform: { '^.+\\.ts$': swc, '/node_modules/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/jose@[^/]+/node_modules/)?jose/)'],
  moduleNameMapper: {
    '^@platform/([a-z-]+)$': path.join(root, 'packages/$1/src/index.ts'),
    '^@platform/([a-z-]+)/([a-z-]+)$': path.join(root, 'packages/$1/src/$2.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

/** Two projects per package: `unit` beside the code, `integration` under test/integration. */
function projects(dir, { integration = true, unit = true } = {}) {
  const list = [];
  if (unit)
    list.push({ ...common, displayName: 'unit', rootDir: dir, testMatch: ['<rootDir>/src/**/*.test.ts'] });
  if (integration) {
    list.push({
      ...common,
      displayName: 'integration',
      rootDir: dir,
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'],
      globalSetup: path.join(root, 'packages/test-services/jest-global-setup.cjs'),
      globalTeardown: path.join(root, 'packages/test-services/jest-global-teardown.cjs'),
    });
  }
  // Jest 30 reads testTimeout only at the top level, not per project.
  return { projects: list, passWithNoTests: false, testTimeout: integration ? 30000 : 5000 };
}

module.exports = { projects, common };
