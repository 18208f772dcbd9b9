import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** What a started sign-in leaves for its callback; never leaves the server. */
export interface PendingAuthorization {
  provider: string;
  /** PKCE code_verifier (RFC 7636), sent only to the token endpoint. */
  verifier: string;
  /** OIDC nonce the id_token must echo. */
  nonce: string;
  /** Where the web app wants to go afterwards (already validated). */
  returnTo: string | null;
  /** Set when a signed-in user links a provider to their account instead of signing in. */
  linkUserId: string | null;
  remember: boolean;
  /** The web app asked for cookie mode: the refresh token goes into a cookie, never into the URL. */
  cookieTransport: boolean;
}

const pendingSchema = z.object({
  provider: z.string(),
  verifier: z.string(),
  nonce: z.string(),
  returnTo: z.string().nullable(),
  linkUserId: z.string().nullable(),
  remember: z.boolean(),
  // States stored before this field existed finish the way they started.
  cookieTransport: z.boolean().default(false),
});

/** Relative to the service's REDIS_PREFIX; keyed by the state's SHA-256, never the state itself. */
export const oauthStateKey = (state: string) =>
  `oauth:state:${createHash('sha256').update(state, 'utf8').digest('hex')}`;

const random = () => randomBytes(32).toString('base64url');

/** The S256 code_challenge of a verifier (RFC 7636 §4.2). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * OAuth `state` values: 256 random bits, stored in Redis with the PKCE verifier and nonce, usable
 * once and for a bounded time, so any replica can finish a sign-in another started. Each is also
 * bound to the browser that started it by a cookie holding its HMAC: a state lifted from one
 * browser's URL and replayed from another (login CSRF, a leaked redirect) is refused.
 */
export class OAuthStates {
  private readonly cookieKey: Buffer;

  constructor(
    private readonly redis: Redis,
    readonly ttlSeconds: number,
    /** Secret the cookie's HMAC key is derived from (never used as the key itself). */
    secret: string,
  ) {
    this.cookieKey = createHmac('sha256', secret).update('oauth-state-cookie/v1').digest();
  }

  /** Stores a new pending authorization and returns its state, with a fresh verifier and nonce. */
  async create(
    fields: Omit<PendingAuthorization, 'verifier' | 'nonce'>,
  ): Promise<{ state: string; pending: PendingAuthorization }> {
    const state = random();
    const pending = { ...fields, verifier: random(), nonce: random() };
    await this.redis.set(oauthStateKey(state), JSON.stringify(pending), 'EX', this.ttlSeconds);
    return { state, pending };
  }

  /** Takes a state's pending authorization out of the store: exactly one caller ever gets it. */
  async consume(state: string): Promise<PendingAuthorization | null> {
    const key = oauthStateKey(state);
    const result = await this.redis.multi().get(key).del(key).exec();
    const raw = result?.[0]?.[1];
    if (typeof raw !== 'string') return null;
    const parsed = pendingSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  /** The value of the browser-binding cookie for a state. */
  cookieValue(state: string): string {
    return createHmac('sha256', this.cookieKey).update(state, 'utf8').digest('base64url');
  }

  /** Whether the cookie a callback came with was set for this state; constant time. */
  cookieMatches(state: string, cookie: string | undefined): boolean {
    if (!cookie) return false;
    const expected = Buffer.from(this.cookieValue(state));
    const given = Buffer.from(cookie);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
