// Jest runs the browser tests only (real Chromium against real services); the unit and component
// tests beside the code run in Vitest (vitest.config.ts). The media service in the stack reads file
// types with file-type and its dependencies, which ship as ES modules only: they are compiled to
// CommonJS for the test run, as apps/media's own jest config does.
const config = require('../../jest.preset.cjs').projects(__dirname, { unit: false });

const ESM_ONLY = [
  'jose',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer/inflate',
  '@borewit/text-codec',
];
const pattern = `/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${ESM_ONLY.map((n) => n.replace('/', '\\/')).join('|')})/)`;
for (const project of config.projects) project.transformIgnorePatterns = [pattern];

module.exports = config;
