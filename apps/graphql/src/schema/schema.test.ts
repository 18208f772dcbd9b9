import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELD_ACCESS } from '../access.js';
import { buildSchema, printSdl } from './index.js';

const schema = buildSchema();

describe('the schema', () => {
  it('is the SDL committed in schema.graphql (run `pnpm --filter @platform/graphql schema` and commit)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(printSdl(schema)).toBe(committed);
  });

  it('names the permission of every root field in the one RBAC table, and nothing else', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const fields = roots.flatMap((type) =>
      type === null || type === undefined
        ? []
        : Object.keys(type.getFields()).map((f) => `${type.name}.${f}`),
    );
    expect(fields.sort()).toEqual(Object.keys(FIELD_ACCESS).sort());
  });
});
