import { z } from 'zod';
import { generateKeyPair } from '@platform/tokens';
import { checkJwtKeys, jwtSigningFragment, keyRingOf } from './fragments.js';
import { loadConfig } from './load.js';

const schema = z.object(jwtSigningFragment).superRefine(checkJwtKeys);
const set = (...keys: object[]) => JSON.stringify({ keys });

describe('the access-token key settings', () => {
  const a = generateKeyPair('EdDSA');
  const b = generateKeyPair('EdDSA');

  it('signs with the first private key unless JWT_SIGNING_KEY_ID names another, and publishes all', () => {
    const env = { JWT_PRIVATE_KEYS: set(a.privateJwk, b.privateJwk) };
    expect(
      keyRingOf(loadConfig(schema, env))
        .jwks()
        .keys.map((key) => key.kid),
    ).toEqual([a.publicJwk.kid, b.publicJwk.kid]);
    expect(keyRingOf(loadConfig(schema, env)).signingKey?.kid).toBe(a.publicJwk.kid);
    const chosen = loadConfig(schema, { ...env, JWT_SIGNING_KEY_ID: b.publicJwk.kid });
    expect(keyRingOf(chosen).signingKey?.kid).toBe(b.publicJwk.kid);
  });

  it('refuses a signing kid that is not a private key, and keys of another algorithm than the pinned one', () => {
    expect(() =>
      loadConfig(schema, {
        JWT_PRIVATE_KEYS: set(a.privateJwk),
        JWT_PUBLIC_KEYS: set(b.publicJwk),
        JWT_SIGNING_KEY_ID: b.publicJwk.kid,
      }),
    ).toThrow(/signing key .* is not among the private keys/);
    expect(() => loadConfig(schema, { JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEYS: set(a.privateJwk) })).toThrow(
      /pinned algorithm is ES256/,
    );
  });

  it('accepts only the two asymmetric algorithms', () => {
    expect(() => loadConfig(schema, { JWT_ALGORITHM: 'HS256', JWT_PRIVATE_KEYS: set(a.privateJwk) })).toThrow(
      /JWT_ALGORITHM/,
    );
  });
});
