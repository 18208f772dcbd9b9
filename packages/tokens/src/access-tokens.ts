import { hash, randomUUID } from 'node:crypto';
import { accessClaimsSchema, type AccessClaims, type Role } from '@platform/contracts';
import { JwsError, SERVICE_TOKEN_TYPE, signCompact, verifyCompact } from './jws.js';
import type { KeyRing, TokenKey } from './keys.js';

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

const invalid = () => new TokenError('invalid_token', 'The access token is invalid.');

/**
 * Signs and verifies access tokens: compact JWS (RFC 7515) with the ring's one pinned algorithm
 * (EdDSA or ES256), `kid` in every header. Verification is deliberately narrow: the header's `alg`
 * must equal the pinned one and its `kid` must name a key this process already trusts; `jku`, `x5u`,
 * `jwk`, `x5c` are never read (a token must not choose its own key), and any `crit` header is refused.
 * Both calls are synchronous, so the socket tier can decide inside uWS's upgrade handler.
 */
export class AccessTokens {
  readonly ttlSeconds: number;
  /**
   * Verified tokens by the SHA-256 of the token (see `cacheKey`), with their claims. Keyed by the token
   * itself, every entry held the ~500-byte token and, the token being a slice of it, the whole
   * `Authorization` header it came in: most of what a service holding 10 000 sockets kept per socket.
   */
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
    return { token: signCompact(key, 'JWT', claims), jti, expiresIn: this.ttlSeconds, exp };
  }

  /** Verifies signature (algorithm pinned, key by kid), issuer, audience, expiry and claim shapes. */
  verify(token: string, nowMs = Date.now()): AccessClaims {
    const now = Math.floor(nowMs / 1000);
    const key = this.cacheSize === 0 ? undefined : cacheKey(token);
    const cached = key === undefined ? undefined : this.cache.get(key);
    if (cached !== undefined && key !== undefined) {
      if (cached.exp + CLOCK_TOLERANCE_SECONDS > now) return cached;
      this.cache.delete(key);
      throw new TokenError('token_expired', 'The access token has expired.');
    }
    const claims = this.check(token, now);
    if (key !== undefined) this.remember(key, claims);
    return claims;
  }

  private check(token: string, now: number): AccessClaims {
    let payload: Record<string, unknown>;
    try {
      payload = verifyCompact(token, (header) => this.keyFor(header));
    } catch (error) {
      if (error instanceof JwsError || error instanceof TokenError) throw invalid();
      throw error;
    }
    return this.checkClaims(payload, now);
  }

  private keyFor(header: Record<string, unknown>): TokenKey {
    if (header.alg !== this.settings.keys.algorithm) throw invalid();
    if ('crit' in header) throw invalid();
    // Explicit typing (RFC 8725 §3.11): a service's token is never a user's, even under a shared key.
    if (header.typ === SERVICE_TOKEN_TYPE) throw invalid();
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
    return this.compact(claims);
  }

  /**
   * The claims as one object of fixed shape (the parser's grows a separate property array), with the
   * issuer and audience strings this process already holds instead of one copy of each per token:
   * cached, they live as long as the token.
   */
  private compact(claims: AccessClaims): AccessClaims {
    const { sub, role, sid, auth_time, jti, iat, exp } = claims;
    const iss = this.settings.issuer; // equal: checked above
    const aud = claims.aud === this.settings.audience ? this.settings.audience : claims.aud;
    return auth_time === undefined
      ? { sub, role, sid, jti, iat, exp, iss, aud }
      : { sub, role, sid, auth_time, jti, iat, exp, iss, aud };
  }

  private remember(key: string, claims: AccessClaims): void {
    // Insertion order is age order: dropping the first entry drops the oldest.
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, claims);
  }
}

/**
 * A cache key standing for the whole token: 44 characters instead of ~500, and a fresh string, so it
 * keeps nothing the token was cut from alive. SHA-256 has no known collisions, so two tokens never
 * share an entry: a token whose header, payload or signature differs by one bit is checked afresh.
 */
function cacheKey(token: string): string {
  return hash('sha256', token, 'base64');
}

/** Maps anything thrown while checking a token to our codes, without echoing library messages. */
export function toTokenError(error: unknown): TokenError {
  return error instanceof TokenError ? error : invalid();
}
