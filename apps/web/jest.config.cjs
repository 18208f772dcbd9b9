// Jest runs the browser tests only (real Chromium against real services); the unit and component
// tests beside the code run in Vitest (vitest.config.ts).
const config = require('../../jest.preset.cjs').projects(__dirname, { unit: false });

for (const project of config.projects) project.transformIgnorePatterns = require('./jest.esm-only.cjs');

// A failed browser test can leave a socket or a child process behind; the run must still end (and
// report the failure) instead of holding `pnpm test` open.
module.exports = { ...config, forceExit: true };
