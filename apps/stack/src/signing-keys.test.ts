import { loadConfig } from '@platform/config';
import { generateKeyPair, parseKeySet } from '@platform/tokens';
import { stackConfigSchema } from './config.js';
import { chooseSigningKeys, tokenIssuer } from './signing-keys.js';

const kidsOf = (json: string, kind: 'public' | 'private') => parseKeySet(json, kind).map((k) => k.kid);

describe('chooseSigningKeys', () => {
  it('makes a throwaway key pair of the pinned algorithm when none is configured', () => {
    const config = loadConfig(stackConfigSchema, { JWT_ALGORITHM: 'ES256' });
    const first = chooseSigningKeys(config, undefined);
    const second = chooseSigningKeys(config, undefined);
    expect(first.generated).toBe(true);
    expect(parseKeySet(first.privateKeys, 'private')[0]?.alg).toBe('ES256');
    expect(kidsOf(first.publicKeys, 'public')).toEqual(kidsOf(first.privateKeys, 'private'));
    expect(first.privateKeys).not.toBe(second.privateKeys);
  });

  it('passes configured keys to auth as written and gives verifiers their public halves plus extra ones', () => {
    const signer = generateKeyPair('EdDSA');
    const retired = generateKeyPair('EdDSA');
    const raw = JSON.stringify({ keys: [signer.privateJwk] });
    const config = loadConfig(stackConfigSchema, {
      JWT_PRIVATE_KEYS: raw,
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [retired.publicJwk, signer.publicJwk] }),
    });
    const keys = chooseSigningKeys(config, raw);
    expect(keys).toMatchObject({ privateKeys: raw, generated: false });
    expect(kidsOf(keys.publicKeys, 'public')).toEqual([signer.publicJwk.kid, retired.publicJwk.kid]);
  });
});

describe('tokenIssuer', () => {
  it('is the edge URL unless JWT_ISSUER is set', () => {
    expect(tokenIssuer(loadConfig(stackConfigSchema, { EDGE_PORT: '9000' }))).toBe('http://127.0.0.1:9000');
    expect(tokenIssuer(loadConfig(stackConfigSchema, { EDGE_HOST: '0.0.0.0' }))).toBe(
      'http://127.0.0.1:8080',
    );
    expect(tokenIssuer(loadConfig(stackConfigSchema, { JWT_ISSUER: 'https://id.example.com' }))).toBe(
      'https://id.example.com',
    );
  });

  it('is https when the edge serves TLS', () => {
    expect(tokenIssuer(loadConfig(stackConfigSchema, { EDGE_TLS_SELF_SIGNED: 'true' }))).toBe(
      'https://127.0.0.1:8080',
    );
    const withCert = { EDGE_TLS_CERT: '/etc/tls/cert.pem', EDGE_TLS_KEY: '/etc/tls/key.pem' };
    expect(tokenIssuer(loadConfig(stackConfigSchema, withCert))).toBe('https://127.0.0.1:8080');
  });
});
