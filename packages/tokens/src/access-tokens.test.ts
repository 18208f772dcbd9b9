import { createHmac, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT, importJWK } from 'jose';
import { AccessTokens, TokenError } from './access-tokens.js';
import { generateKeyPair, KeyRing, parseKeySet, type SigningAlgorithm } from './keys.js';

const issuer = 'https://id.example.com';
const audience = 'platform';
const subject = {
  userId: randomUUID(),
  role: 'user' as const,
  sessionId: randomUUID(),
  authTime: new Date(Date.now() - 60_000),
};

function keyPair(alg: SigningAlgorithm = 'EdDSA') {
  const { privateJwk, publicJwk } = generateKeyPair(alg);
  return {
    privateJwk,
    publicJwk,
    private: parseKeySet(JSON.stringify({ keys: [privateJwk] }), 'private'),
    public: parseKeySet(JSON.stringify({ keys: [publicJwk] }), 'public'),
  };
}

function tokensOf(ring: KeyRing, overrides: { issuer?: string; audience?: string } = {}) {
  return new AccessTokens({ keys: ring, issuer, audience, ...overrides });
}

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'accepted';
}

function claimsFor(now = Math.floor(Date.now() / 1000)) {
  return {
    sub: randomUUID(),
    role: 'admin',
    sid: randomUUID(),
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
    iss: issuer,
    aud: audience,
  };
}

/** A token signed by hand with `jwk`'s private key, under any header we like. */
function handSigned(header: object, payload: object, jwk: Record<string, string>): string {
  const material = { ...jwk } as Record<string, string | undefined>;
  delete material.kid;
  delete material.alg;
  const key = createPrivateKey({ key: material as never, format: 'jwk' });
  const input = `${b64(header)}.${b64(payload)}`;
  const alg = jwk.crv === 'Ed25519' ? null : 'sha256';
  return `${input}.${sign(alg, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

describe('AccessTokens', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`issues ${alg} tokens with a kid that verify to the claims of their session`, () => {
      const pair = keyPair(alg);
      const tokens = tokensOf(new KeyRing(alg, pair.private));
      const signed = tokens.sign(subject);
      const header = JSON.parse(
        Buffer.from(signed.token.split('.')[0] ?? '', 'base64url').toString(),
      ) as object;
      expect(header).toEqual({ alg, typ: 'JWT', kid: pair.publicJwk.kid });
      const claims = tokensOf(new KeyRing(alg, pair.public)).verify(signed.token);
      expect(claims).toMatchObject({
        sub: subject.userId,
        role: 'user',
        sid: subject.sessionId,
        auth_time: Math.floor(subject.authTime.getTime() / 1000),
        jti: signed.jti,
        iss: issuer,
        aud: audience,
      });
      expect(claims.exp - claims.iat).toBe(900);
    });
  }

  it('cannot sign without a private key', () => {
    expect(() => tokensOf(new KeyRing('EdDSA', keyPair().public)).sign(subject)).toThrow(/no private key/);
  });

  it('refuses alg none, and HS256 keyed with the public key (algorithm confusion)', () => {
    const pair = keyPair();
    const tokens = tokensOf(new KeyRing('EdDSA', pair.public));
    const kid = pair.publicJwk.kid;
    const claims = claimsFor();
    expect(codeOf(() => tokens.verify(`${b64({ alg: 'none', kid })}.${b64(claims)}.`))).toBe('invalid_token');
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
    const hmac = createHmac('sha256', JSON.stringify(pair.publicJwk)).update(input).digest('base64url');
    expect(codeOf(() => tokens.verify(`${input}.${hmac}`))).toBe('invalid_token');
  });

  it('refuses the other asymmetric algorithm even when its key is one we trust elsewhere', () => {
    const es = keyPair('ES256');
    const tokens = tokensOf(new KeyRing('EdDSA', keyPair().public));
    const forged = handSigned({ alg: 'ES256', kid: es.publicJwk.kid }, claimsFor(), es.privateJwk);
    expect(codeOf(() => tokens.verify(forged))).toBe('invalid_token');
  });

  it('never takes a key from the token: jwk, jku and x5u headers are ignored', () => {
    const trusted = keyPair();
    const attacker = keyPair();
    const tokens = tokensOf(new KeyRing('EdDSA', trusted.public));
    const claims = claimsFor();
    const embedded = { alg: 'EdDSA', kid: attacker.publicJwk.kid, jwk: attacker.publicJwk };
    const remote = {
      alg: 'EdDSA',
      kid: attacker.publicJwk.kid,
      jku: 'https://evil.example/jwks',
      x5u: 'https://evil.example/x5u',
    };
    // Claiming the trusted kid while carrying the attacker's key does not help either.
    const disguised = { alg: 'EdDSA', kid: trusted.publicJwk.kid, jwk: attacker.publicJwk };
    for (const header of [embedded, remote, disguised]) {
      expect(codeOf(() => tokens.verify(handSigned(header, claims, attacker.privateJwk)))).toBe(
        'invalid_token',
      );
    }
  });

  it('refuses a token whose header has crit, whose kid is unknown, or whose payload was changed', () => {
    const pair = keyPair();
    const tokens = tokensOf(new KeyRing('EdDSA', pair.private));
    const kid = pair.publicJwk.kid;
    expect(
      codeOf(() =>
        tokens.verify(handSigned({ alg: 'EdDSA', kid, crit: ['exp'] }, claimsFor(), pair.privateJwk)),
      ),
    ).toBe('invalid_token');
    expect(
      codeOf(() => tokens.verify(handSigned({ alg: 'EdDSA', kid: 'other' }, claimsFor(), pair.privateJwk))),
    ).toBe('invalid_token');
    const [header, payload, signature] = tokens.sign(subject).token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object;
    expect(codeOf(() => tokens.verify(`${header}.${b64({ ...claims, role: 'admin' })}.${signature}`))).toBe(
      'invalid_token',
    );
    // Also once the genuine token was verified (and remembered): the changed one is checked afresh.
    expect(codeOf(() => tokens.verify(`${header}.${payload}.${signature}`))).toBe('accepted');
    expect(codeOf(() => tokens.verify(`${header}.${b64({ ...claims, role: 'admin' })}.${signature}`))).toBe(
      'invalid_token',
    );
  });

  it('says token_expired for an expired token, also when it was verified before', () => {
    const pair = keyPair();
    const tokens = tokensOf(new KeyRing('EdDSA', pair.private));
    const now = Math.floor(Date.now() / 1000);
    const expired = handSigned(
      { alg: 'EdDSA', kid: pair.publicJwk.kid },
      { ...claimsFor(now - 120), exp: now - 60 },
      pair.privateJwk,
    );
    expect(codeOf(() => tokens.verify(expired))).toBe('token_expired');
    const fresh = tokens.sign(subject);
    expect(codeOf(() => tokens.verify(fresh.token))).toBe('accepted');
    expect(codeOf(() => tokens.verify(fresh.token, (fresh.exp + 10) * 1000))).toBe('token_expired');
  });

  it('refuses another issuer or audience, claims of the wrong shape, and garbage', () => {
    const pair = keyPair();
    const ring = new KeyRing('EdDSA', pair.private);
    const tokens = tokensOf(ring);
    expect(
      codeOf(() => tokens.verify(tokensOf(ring, { audience: 'someone-else' }).sign(subject).token)),
    ).toBe('invalid_token');
    expect(
      codeOf(() => tokens.verify(tokensOf(ring, { issuer: 'https://evil.example' }).sign(subject).token)),
    ).toBe('invalid_token');
    const odd = handSigned(
      { alg: 'EdDSA', kid: pair.publicJwk.kid },
      { ...claimsFor(), sub: 'not-a-uuid', role: 'root' },
      pair.privateJwk,
    );
    expect(codeOf(() => tokens.verify(odd))).toBe('invalid_token');
    for (const junk of ['', 'not.a.jwt', 'a.b', `${'a'.repeat(5000)}.b.c`, 'ä.ö.ü']) {
      expect(codeOf(() => tokens.verify(junk))).toBe('invalid_token');
    }
  });

  it('rotates without refusing a valid token: publish, then sign, then retire', () => {
    const a = keyPair();
    const b = keyPair();
    const publicOf = (...pairs: ReturnType<typeof keyPair>[]) =>
      new KeyRing(
        'EdDSA',
        pairs.flatMap((p) => p.public),
      );
    // 1. A signs; verifiers know A.
    const tokenA = tokensOf(new KeyRing('EdDSA', a.private)).sign(subject).token;
    // 2. B is published (verifiers learn it) while A still signs.
    const auth2 = new KeyRing('EdDSA', [...a.private, ...b.private], a.publicJwk.kid);
    expect(auth2.jwks().keys.map((k) => k.kid)).toEqual([a.publicJwk.kid, b.publicJwk.kid]);
    expect(tokensOf(auth2).sign(subject).token.split('.')[0]).toBe(tokenA.split('.')[0]);
    // 3. B signs; A's outstanding tokens still verify everywhere.
    const tokenB = tokensOf(new KeyRing('EdDSA', [...a.private, ...b.private], b.publicJwk.kid)).sign(
      subject,
    ).token;
    const verifiers = tokensOf(publicOf(a, b));
    expect(codeOf(() => verifiers.verify(tokenA))).toBe('accepted');
    expect(codeOf(() => verifiers.verify(tokenB))).toBe('accepted');
    // 4. After A's last token expired, A is retired.
    const retired = tokensOf(publicOf(b));
    expect(codeOf(() => retired.verify(tokenB))).toBe('accepted');
    expect(codeOf(() => retired.verify(tokenA))).toBe('invalid_token');
  });
});

describe('interoperability (a third party verifying with jose)', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`verifies our ${alg} tokens against the published JWKS, and we verify jose's`, async () => {
      const pair = keyPair(alg);
      const ring = new KeyRing(alg, pair.private);
      const ours = tokensOf(ring).sign(subject).token;
      const { payload, protectedHeader } = await jwtVerify(ours, createLocalJWKSet(ring.jwks()), {
        issuer,
        audience,
        algorithms: [alg],
      });
      expect(protectedHeader.kid).toBe(pair.publicJwk.kid);
      expect(payload.sub).toBe(subject.userId);

      const now = Math.floor(Date.now() / 1000);
      const theirs = await new SignJWT({ role: 'user', sid: randomUUID() })
        .setProtectedHeader({ alg, kid: pair.publicJwk.kid })
        .setSubject(randomUUID())
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .setIssuer(issuer)
        .setAudience(audience)
        .sign(await importJWK(pair.privateJwk, alg));
      expect(codeOf(() => tokensOf(new KeyRing(alg, pair.public)).verify(theirs))).toBe('accepted');
    });
  }
});
