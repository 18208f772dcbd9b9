import { randomUUID } from 'node:crypto';
import { TokenError } from './access-tokens.js';
import { JwsError, SERVICE_TOKEN_TYPE, signCompact, verifyCompact } from './jws.js';
import type { KeyRing, TokenKey } from './keys.js';

/** Lifetime of a service token; a signer renews at half of it, so a token in use never expires. */
export const SERVICE_TOKEN_TTL_SECONDS = 120;
/** Longest lifetime a verifier accepts: a leaked token is worth minutes, never hours. */
const MAX_SERVICE_TOKEN_TTL_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 5;
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

interface ServiceClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
}

function claimsOf(payload: Record<string, unknown>): ServiceClaims | undefined {
  const { iss, sub, aud, iat, exp, jti } = payload;
  const names = [iss, sub, aud].every((name) => typeof name === 'string' && SERVICE_NAME.test(name));
  const times = [iat, exp].every((time) => Number.isSafeInteger(time));
  if (!names || !times || typeof jti !== 'string') return undefined;
  return { iss: String(iss), sub: String(sub), aud: String(aud), iat: Number(iat), exp: Number(exp) };
}

const invalid = () => new TokenError('invalid_token', 'The service token is invalid.');

/**
 * Mints the short-lived tokens one service presents to another (`authorization: Bearer`): a compact
 * JWS with the platform's pinned algorithm, signed by the calling service's own key (never auth's,
 * so a service cannot mint a user's token), `iss`/`sub` the service, `aud` the service called.
 */
export class ServiceTokenSigner {
  private readonly issued = new Map<string, { token: string; renewAt: number }>();
  private readonly key: TokenKey;

  constructor(
    readonly service: string,
    keys: KeyRing,
  ) {
    if (!SERVICE_NAME.test(service)) throw new Error(`not a service name: ${service}`);
    const key = keys.signingKey;
    if (!key?.privateKey) throw new Error('a service token signer needs a private key');
    this.key = key;
  }

  /** A token for calls to `audience`, reused until half its life is over. */
  tokenFor(audience: string, nowMs = Date.now()): string {
    const held = this.issued.get(audience);
    if (held !== undefined && held.renewAt > nowMs) return held.token;
    const iat = Math.floor(nowMs / 1000);
    const claims = {
      iss: this.service,
      sub: this.service,
      aud: audience,
      iat,
      exp: iat + SERVICE_TOKEN_TTL_SECONDS,
      jti: randomUUID(),
    };
    const token = signCompact(this.key, SERVICE_TOKEN_TYPE, claims);
    this.issued.set(audience, { token, renewAt: nowMs + (SERVICE_TOKEN_TTL_SECONDS * 1000) / 2 });
    return token;
  }
}

/**
 * Checks service tokens for the service `audience`. Each calling service is trusted with its own keys
 * (`trusted`: service name -> its key ring, all under the platform's pinned algorithm), so a key
 * speaks only for the service it is listed under: realtime's key cannot claim to be admin.
 */
export class ServiceTokenVerifier {
  constructor(
    private readonly audience: string,
    private readonly trusted: ReadonlyMap<string, KeyRing>,
  ) {}

  /** The calling service's name; `invalid_token` or `token_expired` otherwise. */
  verify(token: string, nowMs = Date.now()): string {
    let payload: Record<string, unknown>;
    try {
      payload = verifyCompact(token, (header, claims) => this.keyFor(header, claims));
    } catch (error) {
      if (error instanceof JwsError || error instanceof TokenError) throw invalid();
      throw error;
    }
    const claims = claimsOf(payload);
    if (claims === undefined) throw invalid();
    const now = Math.floor(nowMs / 1000);
    if (claims.sub !== claims.iss || claims.aud !== this.audience) throw invalid();
    if (claims.iat > now + CLOCK_TOLERANCE_SECONDS) throw invalid();
    if (claims.exp - claims.iat > MAX_SERVICE_TOKEN_TTL_SECONDS) throw invalid();
    if (claims.exp + CLOCK_TOLERANCE_SECONDS <= now)
      throw new TokenError('token_expired', 'The service token has expired.');
    return claims.iss;
  }

  private keyFor(header: Record<string, unknown>, claims: Record<string, unknown>): TokenKey {
    if (header.typ !== SERVICE_TOKEN_TYPE || typeof header.kid !== 'string') throw invalid();
    const ring = typeof claims.iss === 'string' ? this.trusted.get(claims.iss) : undefined;
    if (ring === undefined || header.alg !== ring.algorithm) throw invalid();
    const key = ring.get(header.kid);
    if (!key) throw invalid();
    return key;
  }
}

/** Whether a bearer token says it is a service token (unverified: it only picks the verifier). */
export function isServiceTokenHeader(header: Record<string, unknown> | undefined): boolean {
  return header?.typ === SERVICE_TOKEN_TYPE;
}
