// Jest runs the browser tests only (real Chromium against real services); the unit and component
// tests beside the code run in Vitest (vitest.config.ts).
module.exports = require('../../jest.preset.cjs').projects(__dirname, { unit: false });
