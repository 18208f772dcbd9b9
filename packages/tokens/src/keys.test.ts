import { createPrivateKey, sign } from 'node:crypto';
import { generateKeyPair, KeyRing, parseKeySet, thumbprint } from './keys.js';

// RFC 8037, appendix A: the Ed25519 key, its RFC 7638 thumbprint and a JWS signed with it.
const RFC8037_KEY = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
};
const RFC8037_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';
const RFC8037_INPUT = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc';
const RFC8037_SIGNATURE =
  'hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

const set = (...keys: object[]) => JSON.stringify({ keys });

describe('parseKeySet', () => {
  it('reads the RFC 8037 key: its thumbprint and its signature match the RFC', () => {
    const [key] = parseKeySet(set({ ...RFC8037_KEY, kid: 'rfc' }), 'private');
    expect(key?.alg).toBe('EdDSA');
    expect(thumbprint(RFC8037_KEY)).toBe(RFC8037_THUMBPRINT);
    const signature = sign(null, Buffer.from(RFC8037_INPUT), key?.privateKey ?? createPrivateKey('x'));
    expect(signature.toString('base64url')).toBe(RFC8037_SIGNATURE);
  });

  it('publishes only the public half, with kid, alg and use', () => {
    const [key] = parseKeySet(set({ ...RFC8037_KEY, kid: 'rfc' }), 'private');
    expect(key?.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: RFC8037_KEY.x,
      kid: 'rfc',
      alg: 'EdDSA',
      use: 'sig',
    });
  });

  it('names every problem at once', () => {
    const { publicJwk, privateJwk } = generateKeyPair('ES256');
    const attempt = () =>
      parseKeySet(
        set(
          { kty: 'RSA', n: 'x', e: 'AQAB', kid: 'rsa' },
          { ...RFC8037_KEY, kid: 'bad kid!' },
          { ...publicJwk },
          { ...privateJwk, alg: 'EdDSA' },
          { ...publicJwk },
        ),
        'private',
      );
    expect(attempt).toThrow(/key 1: only Ed25519 \(OKP\) and P-256 \(EC\)/);
    expect(attempt).toThrow(/key 2: needs a kid/);
    expect(attempt).toThrow(/key 3 \(.+\): a private key needs "d"/);
    expect(attempt).toThrow(/key 4 \(.+\): alg EdDSA does not fit a P-256 key/);
  });

  it('refuses a private key in a public set (it would be published), a duplicate kid and junk', () => {
    expect(() => parseKeySet(set({ ...RFC8037_KEY, kid: 'k' }), 'public')).toThrow(/must not hold "d"/);
    const { publicJwk } = generateKeyPair('EdDSA');
    expect(() => parseKeySet(set(publicJwk, publicJwk), 'public')).toThrow(/appears twice/);
    expect(() => parseKeySet('not json', 'public')).toThrow(/JSON Web Key Set/);
    expect(() => parseKeySet('{"keys":[]}', 'public')).toThrow(/at least one key/);
    expect(() => parseKeySet(set({ kty: 'OKP', crv: 'Ed25519', x: 'short', kid: 'k' }), 'public')).toThrow(
      /not a valid Ed25519 key/,
    );
  });
});

describe('KeyRing', () => {
  it('pins one algorithm, signs with the chosen kid and publishes every key', () => {
    const a = generateKeyPair('EdDSA');
    const b = generateKeyPair('EdDSA');
    const keys = parseKeySet(set(a.privateJwk, b.privateJwk), 'private');
    const ring = new KeyRing('EdDSA', keys, b.publicJwk.kid);
    expect(ring.signingKey?.kid).toBe(b.publicJwk.kid);
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual([a.publicJwk.kid, b.publicJwk.kid]);
    expect(JSON.stringify(ring.jwks())).not.toContain('"d"');
    expect(() => new KeyRing('ES256', keys)).toThrow(/pinned algorithm is ES256/);
    expect(() => new KeyRing('EdDSA', keys, 'missing')).toThrow(/signing key missing is not among/);
  });
});
