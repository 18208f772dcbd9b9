import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { IdTokenError, verifyIdToken, type Jwk } from './id-token.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk: Jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' };
const now = 1_700_000_000;
const expected = { issuer: 'https://idp.example', clientId: 'client', nonce: 'n-1', now };
const claims = { iss: expected.issuer, aud: 'client', sub: 'u1', exp: now + 300, iat: now, nonce: 'n-1' };

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(payload: object, header: object = { alg: 'RS256', kid: 'k1' }): string {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

describe('verifyIdToken', () => {
  it('accepts a token signed by the provider key for this client and sign-in', () => {
    expect(verifyIdToken(jwt(claims), [jwk], expected)).toMatchObject({ sub: 'u1' });
  });

  it('refuses a changed payload, alg none and HS256 signed with the public key', () => {
    const [head, , signature] = jwt(claims).split('.');
    const forged = `${head}.${part({ ...claims, sub: 'admin' })}.${signature}`;
    expect(() => verifyIdToken(forged, [jwk], expected)).toThrow('bad signature');
    expect(() => verifyIdToken(`${part({ alg: 'none' })}.${part(claims)}.`, [jwk], expected)).toThrow(
      IdTokenError,
    );
    const input = `${part({ alg: 'HS256', kid: 'k1' })}.${part(claims)}`;
    const hmac = createHmac('sha256', JSON.stringify(jwk)).update(input).digest('base64url');
    expect(() => verifyIdToken(`${input}.${hmac}`, [jwk], expected)).toThrow('not accepted');
  });

  it.each([
    [{ iss: 'https://other.example' }, 'wrong issuer'],
    [{ aud: 'someone-else' }, 'wrong audience'],
    [{ aud: ['client', 'other'] }, 'wrong authorized party'],
    [{ exp: now - 120 }, 'expired'],
    [{ nonce: 'n-2' }, 'wrong nonce'],
  ])('refuses %j (%s)', (change, reason) => {
    expect(() => verifyIdToken(jwt({ ...claims, ...change }), [jwk], expected)).toThrow(reason);
  });

  it('needs the key the header names', () => {
    expect(() => verifyIdToken(jwt(claims, { alg: 'RS256', kid: 'k2' }), [jwk], expected)).toThrow(
      'no matching signing key',
    );
  });
});
