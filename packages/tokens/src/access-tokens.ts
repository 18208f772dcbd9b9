import { randomUUID, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { accessClaimsSchema, type AccessClaims, type Role } from '@platform/contracts';
import type { KeyRing, SigningAlgorithm, TokenKey } from './keys.js';

export interface AccessTokenSettings {
  keys: KeyRing;
  issuer: string;
  audience: string;
  /** Lifetime of an access token in seconds (default 15 minutes). */
  ttlSeconds?: number;
  /** Verified tokens remembered until they expire, so a token seen again costs no signature check. */
  cacheSize?: number;
}

/** Why a token was refused; the code is the problem+json `code` clients see. */
export class TokenError extends Error {
  constructor(
    readonly code: 'token_expired' | 'invalid_token' | 'token_revoked',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface SignedAccessToken {
  token: string;
  jti: string;
  expiresIn: number;
  /** Expiry as seconds since the epoch. */
  exp: number;
}

/** Clock skew allowed between the signing and the verifying host. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Far above any token we issue (~600 bytes); anything longer is refused before it is decoded. */
const MAX_TOKEN_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const invalid = () => new TokenError('invalid_token', 'The access token is invalid.');

function digestOf(alg: SigningAlgorithm): string | null {
  // Ed25519 hashes internally (no digest argument); ES256 is ECDSA over SHA-256.
  return alg === 'EdDSA' ? null : 'sha256';
}

function decodeJson(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  return value as Record<string, unknown>;
}

/**
 * Signs and verifies access tokens: compact JWS (RFC 7515) with the ring's one pinned algorithm
 * (EdDSA or ES256), `kid` in every header. Verification is deliberately narrow: the header's `alg`
 * must equal the pinned one and its `kid` must name a key this process already trusts; `jku`, `x5u`,
 * `jwk`, `x5c` are never read (a token must not choose its own key), and any `crit` header is refused.
 * Both calls are synchronous, so the socket tier can decide inside uWS's upgrade handler.
 */
export class AccessTokens {
  readonly ttlSeconds: number;
  private readonly cache = new Map<string, AccessClaims>();
  private readonly cacheSize: number;

  constructor(private readonly settings: AccessTokenSettings) {
    this.ttlSeconds = settings.ttlSeconds ?? 900;
    this.cacheSize = settings.cacheSize ?? 10_000;
  }

  /** The pinned algorithm and every trusted key. */
  get keys(): KeyRing {
    return this.settings.keys;
  }

  /** Issues a token for one session; only a process holding a private key (auth) can. */
  sign(subject: { userId: string; role: Role; sessionId: string; authTime: Date }): SignedAccessToken {
    const key = this.settings.keys.signingKey;
    if (!key?.privateKey) throw new Error('this process holds no private key to sign access tokens with');
    const jti = randomUUID();
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.ttlSeconds;
    const header = { alg: key.alg, typ: 'JWT', kid: key.kid };
    const claims = {
      sub: subject.userId,
      role: subject.role,
      sid: subject.sessionId,
      // OIDC's auth_time: when the user last proved who they are, for step-up checks anywhere.
      auth_time: Math.floor(subject.authTime.getTime() / 1000),
      jti,
      iat,
      exp,
      iss: this.settings.issuer,
      aud: this.settings.audience,
    };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signature = cryptoSign(digestOf(key.alg), Buffer.from(input), {
      key: key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return { token: `${input}.${signature.toString('base64url')}`, jti, expiresIn: this.ttlSeconds, exp };
  }

  /** Verifies signature (algorithm pinned, key by kid), issuer, audience, expiry and claim shapes. */
  verify(token: string, nowMs = Date.now()): AccessClaims {
    const now = Math.floor(nowMs / 1000);
    const cached = this.cache.get(token);
    if (cached !== undefined) {
      if (cached.exp + CLOCK_TOLERANCE_SECONDS > now) return cached;
      this.cache.delete(token);
      throw new TokenError('token_expired', 'The access token has expired.');
    }
    const claims = this.check(token, now);
    this.remember(token, claims);
    return claims;
  }

  private check(token: string, now: number): AccessClaims {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalid();
    const parts = token.split('.');
    const [headerPart, payloadPart, signaturePart] = parts;
    if (parts.length !== 3 || !headerPart || !payloadPart || !signaturePart) throw invalid();
    if (![headerPart, payloadPart, signaturePart].every((part) => BASE64URL.test(part))) throw invalid();
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = decodeJson(headerPart);
      payload = decodeJson(payloadPart);
    } catch {
      throw invalid();
    }
    const key = this.keyFor(header);
    const valid = cryptoVerify(
      digestOf(key.alg),
      Buffer.from(`${headerPart}.${payloadPart}`),
      { key: key.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signaturePart, 'base64url'),
    );
    if (!valid) throw invalid();
    return this.checkClaims(payload, now);
  }

  private keyFor(header: Record<string, unknown>): TokenKey {
    if (header.alg !== this.settings.keys.algorithm) throw invalid();
    if ('crit' in header) throw invalid();
    if (typeof header.kid !== 'string') throw invalid();
    const key = this.settings.keys.get(header.kid);
    if (!key) throw invalid();
    return key;
  }

  private checkClaims(payload: Record<string, unknown>, now: number): AccessClaims {
    const parsed = accessClaimsSchema.safeParse(payload);
    if (!parsed.success) throw new TokenError('invalid_token', 'The access token has invalid claims.');
    const claims = parsed.data;
    if (claims.iss !== this.settings.issuer) throw invalid();
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.settings.audience)) throw invalid();
    if (claims.iat > now + CLOCK_TOLERANCE_SECONDS) throw invalid();
    if (claims.exp + CLOCK_TOLERANCE_SECONDS <= now)
      throw new TokenError('token_expired', 'The access token has expired.');
    return claims;
  }

  private remember(token: string, claims: AccessClaims): void {
    if (this.cacheSize === 0) return;
    // Insertion order is age order: dropping the first entry drops the oldest.
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, claims);
  }
}

/** Maps anything thrown while checking a token to our codes, without echoing library messages. */
export function toTokenError(error: unknown): TokenError {
  return error instanceof TokenError ? error : invalid();
}
