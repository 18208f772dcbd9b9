import { randomUUID } from 'node:crypto';
import { AccessTokens, TokenError } from './access-tokens.js';
import { signCompact } from './jws.js';
import { generateKeyPair, KeyRing, parseKeySet } from './keys.js';
import { ServiceTokenSigner, ServiceTokenVerifier, SERVICE_TOKEN_TTL_SECONDS } from './service-tokens.js';

function serviceKeys() {
  const { privateJwk, publicJwk } = generateKeyPair('EdDSA');
  return {
    signing: new KeyRing('EdDSA', parseKeySet(JSON.stringify({ keys: [privateJwk] }), 'private')),
    trusted: new KeyRing('EdDSA', parseKeySet(JSON.stringify({ keys: [publicJwk] }), 'public')),
  };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('service tokens', () => {
  const realtime = serviceKeys();
  const admin = serviceKeys();
  const trusted = new Map([
    ['realtime', realtime.trusted],
    ['admin', admin.trusted],
  ]);
  const users = new ServiceTokenVerifier('users', trusted);

  it('name the calling service to the service they are for, and only to it', () => {
    const token = new ServiceTokenSigner('realtime', realtime.signing).tokenFor('users');
    expect(users.verify(token)).toBe('realtime');
    expect(codeOf(() => new ServiceTokenVerifier('admin', trusted).verify(token))).toBe('invalid_token');
  });

  it('are reused until half their life is over, then renewed', () => {
    const signer = new ServiceTokenSigner('realtime', realtime.signing);
    const now = Date.now();
    const first = signer.tokenFor('users', now);
    expect(signer.tokenFor('users', now + 1000)).toBe(first);
    const later = signer.tokenFor('users', now + (SERVICE_TOKEN_TTL_SECONDS * 1000) / 2 + 1);
    expect(later).not.toBe(first);
    expect(codeOf(() => users.verify(first, now + (SERVICE_TOKEN_TTL_SECONDS + 10) * 1000))).toBe(
      'token_expired',
    );
  });

  it("refuse a key that speaks for another service: realtime's key cannot claim to be admin", () => {
    const key = realtime.signing.signingKey;
    if (!key) throw new Error('no key');
    const iat = Math.floor(Date.now() / 1000);
    const claims = { iss: 'admin', sub: 'admin', aud: 'users', iat, exp: iat + 60, jti: randomUUID() };
    expect(codeOf(() => users.verify(signCompact(key, 'service+jwt', claims)))).toBe('invalid_token');
  });

  it('refuse long-lived tokens, user access tokens, and the other way round', () => {
    const key = realtime.signing.signingKey;
    if (!key) throw new Error('no key');
    const iat = Math.floor(Date.now() / 1000);
    const base = { iss: 'realtime', sub: 'realtime', aud: 'users', iat, jti: randomUUID() };
    const long = signCompact(key, 'service+jwt', { ...base, exp: iat + 3600 });
    expect(codeOf(() => users.verify(long))).toBe('invalid_token');
    const untyped = signCompact(key, 'JWT', { ...base, exp: iat + 60 });
    expect(codeOf(() => users.verify(untyped))).toBe('invalid_token');
    // A user token verifier holding the very same key still refuses a service token (explicit typing).
    const userTokens = new AccessTokens({ keys: realtime.trusted, issuer: 'realtime', audience: 'users' });
    const serviceToken = new ServiceTokenSigner('realtime', realtime.signing).tokenFor('users');
    expect(codeOf(() => userTokens.verify(serviceToken))).toBe('invalid_token');
  });

  it('refuse garbage and unknown services', () => {
    for (const junk of ['', 'a.b.c', 'not a token'])
      expect(codeOf(() => users.verify(junk))).toBe('invalid_token');
    const stranger = serviceKeys();
    const token = new ServiceTokenSigner('media', stranger.signing).tokenFor('users');
    expect(codeOf(() => users.verify(token))).toBe('invalid_token');
  });
});
