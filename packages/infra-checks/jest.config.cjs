// One unit project: the tests render infra/k8s with kubectl and need no database, broker or cache, so
// the integration project's global setup (which fails the run when those do not answer) must not run.
// They live in test/ (there is no src/ to sit beside), which the lint and typecheck scripts cover.
// The compose tests start the built apps with --print-config (turbo.json builds them first).
const { common } = require('../../jest.preset.cjs');

module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/test/**/*.test.ts'] },
  ],
  passWithNoTests: false,
  testTimeout: 10000,
};
