import { z } from 'zod';
import { generateKeyPair } from '@platform/tokens';
import { databaseFragment, jwtSigningFragment } from './fragments.js';
import { loadConfig } from './load.js';
import { printableConfig, redactUrl, secret } from './print.js';

const schema = z.object({
  ...databaseFragment,
  ...jwtSigningFragment,
  SMTP_PASSWORD: z.string().optional(),
  SIGNING_KEYS: secret(z.string(), (spec) => spec.split(',').map((entry) => entry.split(':')[0])).optional(),
  PROVIDERS: z
    .string()
    .default('[]')
    .transform((json) => JSON.parse(json) as unknown),
  GREETING: z.string().optional(),
});

function printed(env: Record<string, string>) {
  return printableConfig(schema, loadConfig(schema, env));
}

describe('printableConfig', () => {
  const signing = generateKeyPair('EdDSA');
  const retired = generateKeyPair('EdDSA');
  const env = {
    JWT_PRIVATE_KEYS: JSON.stringify({ keys: [signing.privateJwk] }),
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [retired.publicJwk] }),
    DATABASE_URL: 'postgres://app:hunter2@db.example:5432/platform',
    SMTP_PASSWORD: 'mail-password',
    SIGNING_KEYS: 'k1:c2VjcmV0,k2:bW9yZQ',
    PROVIDERS: '[{"name":"corp","clientSecret":"shh","clientId":"id-1"}]',
  };

  it('never prints a secret: marked ones, ones named like one, or one inside a URL or a list', () => {
    const text = JSON.stringify(printed(env));
    const privatePart = String(signing.privateJwk.d);
    for (const leak of [privatePart, 'hunter2', 'mail-password', 'c2VjcmV0', 'shh']) {
      expect(text).not.toContain(leak);
    }
  });

  it('prints every other setting as parsed, unset ones as null, and the public face of a marked secret', () => {
    expect(printed(env)).toEqual({
      ACCESS_TOKEN_TTL_SECONDS: 900,
      DATABASE_DEBUG: false,
      DATABASE_POOL_MAX: 10,
      DATABASE_URL: 'postgres://app:***@db.example:5432/platform',
      GREETING: null,
      JWT_ALGORITHM: 'EdDSA',
      JWT_AUDIENCE: 'platform',
      JWT_ISSUER: 'http://localhost:8080',
      JWT_PRIVATE_KEYS: [signing.publicJwk.kid],
      JWT_PUBLIC_KEYS: [retired.publicJwk.kid],
      JWT_SIGNING_KEY_ID: null,
      PROVIDERS: [{ name: 'corp', clientSecret: '[redacted]', clientId: 'id-1' }],
      SIGNING_KEYS: ['k1', 'k2'],
      SMTP_PASSWORD: '[redacted]',
    });
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
