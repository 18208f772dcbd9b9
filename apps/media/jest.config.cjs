// The shared settings, plus file-type and its dependencies, which ship as ES modules only: they are
// compiled to CommonJS for the test run like our sources (as the preset does for jose).
const config = require('../../jest.preset.cjs').projects(__dirname);

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
