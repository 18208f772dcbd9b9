// `pnpm --filter @platform/web screenshots`: drives the real stack (test/integration/stack-world.ts) in
// Chromium and writes the README's screenshots to docs/screenshots/. Not part of `test`.
const path = require('node:path');
const { common } = require('../../jest.preset.cjs');

const root = path.resolve(__dirname, '../..');
module.exports = {
  ...common,
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/screenshots/**/*.shots.ts'],
  globalSetup: path.join(root, 'packages/test-services/jest-global-setup.cjs'),
  globalTeardown: path.join(root, 'packages/test-services/jest-global-teardown.cjs'),
  transformIgnorePatterns: require('./jest.esm-only.cjs'),
  testTimeout: 120000,
};
