import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { composeDocument, interpolate } from './compose.js';
import { isRecord } from './render.js';

/**
 * The Compose Specification's JSON schema, vendored (schemas/README.md says from where): the check must
 * run offline and must not change under us between two runs.
 */
function composeValidator() {
  const schema: unknown = JSON.parse(
    readFileSync(path.join(__dirname, '..', 'schemas', 'compose-spec.json'), 'utf8'),
  );
  if (!isRecord(schema)) throw new Error('schemas/compose-spec.json is not a JSON object');
  // strict: false because the schema uses keywords of later drafts (`deprecated`) that draft-07 Ajv
  // would reject; validateSchema: false because its `$schema` URL lacks the `#` Ajv's meta-schema has.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  return ajv.compile(schema);
}

const describeErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

describe('compose.yaml and the Compose Specification schema', () => {
  const validate = composeValidator();

  it.each([
    ['nothing set', {}],
    [
      'NODE_ENV=production and other ports',
      { NODE_ENV: 'production', EDGE_PORT: '8443', POSTGRES_PORT: '55432' },
    ],
  ])('is valid with %s', (_, env) => {
    const valid = validate(composeDocument(env));
    expect(describeErrors(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a misspelt key and a value of the wrong type (the schema is really applied)', () => {
    const doc = composeDocument();
    if (!isRecord(doc) || !isRecord(doc.services) || !isRecord(doc.services.auth))
      throw new Error('no auth service');
    doc.services.auth.depends_on = 'postgres';
    doc.services.auth.healtcheck = { test: ['CMD', 'true'] };
    expect(validate(doc)).toBe(false);
    expect(describeErrors(validate.errors).join('\n')).toMatch(/healtcheck/);
    expect(describeErrors(validate.errors).join('\n')).toMatch(/depends_on/);
  });
});

describe('interpolate (as Compose does it)', () => {
  it('takes a default for unset or empty with :-, for unset only with -, and keeps $$ as $', () => {
    expect(interpolate('${A:-x}/${B-y}/${C}/$$D', { A: '', B: '' })).toBe('x///$D');
    expect(interpolate('http://localhost:${PORT:-8080}', { PORT: '9000' })).toBe('http://localhost:9000');
  });

  it('refuses a form it does not implement instead of guessing', () => {
    expect(() => interpolate('${A:?required}', {})).toThrow(/unsupported/);
  });
});
