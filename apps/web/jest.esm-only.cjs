// The media service in the browser tests' stack reads file types with file-type and its dependencies,
// which ship as ES modules only: they are compiled to CommonJS for the test run (as apps/media's own
// jest config does), with jose as the preset has it.
const ESM_ONLY = [
  'jose',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer/inflate',
  '@borewit/text-codec',
];

module.exports = [
  `/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${ESM_ONLY.map((n) => n.replace('/', '\\/')).join('|')})/)`,
];
