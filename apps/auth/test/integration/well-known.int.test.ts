import { createRemoteJWKSet, jwtVerify } from 'jose';
import { API_CONTENT_SECURITY_POLICY } from '@platform/contracts';
import type { ApiClient, TestEnvironment } from '@platform/testkit';
import { generateKeyPair } from '@platform/tokens';
import { registerAndLogin, startAuth } from './harness.js';

const set = (...keys: object[]) => JSON.stringify({ keys });
const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

const ISSUER = { JWT_ISSUER: 'https://id.example.com/' };
let env: TestEnvironment;
let api: ApiClient;
let url: string;

beforeAll(async () => {
  let auth;
  ({ env, api, auth } = await startAuth(ISSUER));
  url = auth.url;
});
afterAll(() => env.close());

describe('GET /.well-known', () => {
  it('publishes the public signing key as a JWK Set, cacheable for 5 minutes, never a private part', async () => {
    const res = await api.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = res.body as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('describes the issuer in the OpenID discovery shape', async () => {
    const res = await api.get('/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: 'https://id.example.com/',
      jwks_uri: 'https://id.example.com/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['EdDSA'],
    });
  });

  it('lets a third party verify a login token with nothing but the published keys (jose)', async () => {
    const { accessToken, userId } = await registerAndLogin(api);
    const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
      issuer: 'https://id.example.com/',
      audience: 'platform',
      algorithms: ['EdDSA'],
    });
    expect(payload.sub).toBe(userId);
    expect(protectedHeader.kid).toBe(kidOf(accessToken));
  });
});

describe('security headers', () => {
  it('come with every answer: a document, a problem and a probe', async () => {
    for (const path of ['/.well-known/jwks.json', '/no-such-route', '/health']) {
      const res = await fetch(`${url}${path}`);
      expect({ path, csp: res.headers.get('content-security-policy') }).toEqual({
        path,
        csp: API_CONTENT_SECURITY_POLICY,
      });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // HSTS is the TLS terminator's (the edge, the Ingress), never a plain-HTTP service's.
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe('rotating the signing key', () => {
  it('publishes a new key before it signs and keeps the old one verifying until it is retired', async () => {
    const old = JSON.parse(env.env.JWT_PRIVATE_KEYS ?? '') as { keys: Record<string, string>[] };
    const oldKey = old.keys[0] ?? {};
    const next = generateKeyPair('EdDSA');
    const before = await registerAndLogin(api);
    expect(kidOf(before.accessToken)).toBe(oldKey.kid);

    // Step 1: the new key is known and published, the old one still signs.
    const published = await startAuth({ ...ISSUER, JWT_PRIVATE_KEYS: set(oldKey, next.privateJwk) }, env);
    const jwks = await published.api.get('/.well-known/jwks.json');
    expect((jwks.body as { keys: { kid: string }[] }).keys.map((key) => key.kid)).toEqual([
      oldKey.kid,
      next.publicJwk.kid,
    ]);
    expect(kidOf((await registerAndLogin(published.api)).accessToken)).toBe(oldKey.kid);

    // Step 2: the new key signs; tokens of the old one still work.
    const switched = await startAuth(
      { ...ISSUER, JWT_PRIVATE_KEYS: set(oldKey, next.privateJwk), JWT_SIGNING_KEY_ID: next.publicJwk.kid },
      env,
    );
    const after = await registerAndLogin(switched.api);
    expect(kidOf(after.accessToken)).toBe(next.publicJwk.kid);
    for (const token of [before.accessToken, after.accessToken]) {
      expect((await switched.api.get('/sessions', { token })).status).toBe(200);
    }

    // Step 3: the old key is gone; its tokens are refused, the new ones still work.
    const retired = await startAuth(
      { ...ISSUER, JWT_PRIVATE_KEYS: set(next.privateJwk), JWT_PUBLIC_KEYS: '' },
      env,
    );
    const refused = await retired.api.get('/sessions', { token: before.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_token');
    expect((await retired.api.get('/sessions', { token: after.accessToken })).status).toBe(200);
  });
});
