// Writes the schema's SDL to schema.graphql (`pnpm --filter @platform/graphql schema`); commit it.
import { writeFileSync } from 'node:fs';
import { buildSchema, printSdl } from './schema/index.js';

const file = new URL('../schema.graphql', import.meta.url);
writeFileSync(file, printSdl(buildSchema()));
process.stdout.write(`wrote ${file.pathname}\n`);
