import type { AccessClaims } from '@platform/contracts';
import { TokenError, type AccessTokens, type Denylist, type DenylistMirror } from '@platform/tokens';

/** The token a client presented: `Authorization: Bearer` first, else the `access_token` query parameter. */
export function presentedToken(authorization: string, queryToken: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (match?.[1]) return match[1];
  return queryToken ? queryToken : undefined;
}

/**
 * Verifies access tokens for the socket tier: signature (HS256 pinned, key built once by AccessTokens),
 * issuer, audience, expiry, then the denylist, so a logged-out token cannot open a socket even though
 * it has not expired. Browsers cannot set headers on a WebSocket, hence the query parameter.
 *
 * The denylist is read from this process's mirror of it whenever that is current, which makes the
 * whole check synchronous (what the upgrade handler needs, see `ws/upgrade.ts`); otherwise from Redis.
 */
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly denylist: Denylist,
    private readonly mirror: DenylistMirror,
  ) {}

  /**
   * The synchronous check: the token's claims, or `undefined` when only Redis can tell whether it was
   * revoked (the mirror is not current). Throws a TokenError (code = the problem code) to refuse.
   */
  authenticateNow(token: string | undefined): AccessClaims | undefined {
    if (!token) throw new TokenError('invalid_token', 'An access token is required.');
    const claims = this.tokens.verify(token);
    const revoked = this.mirror.check(claims);
    if (revoked === undefined) return undefined;
    if (revoked) throw revokedError();
    return claims;
  }

  /** The claims of a token that may be used; throws a TokenError (code = the problem code) otherwise. */
  async authenticate(token: string | undefined): Promise<AccessClaims> {
    const known = this.authenticateNow(token);
    if (known) return known;
    // Not reached without a token: authenticateNow threw.
    const claims = this.tokens.verify(token ?? '');
    if (await this.denylist.isRevoked(claims)) throw revokedError();
    return claims;
  }
}

function revokedError(): TokenError {
  return new TokenError('token_revoked', 'The access token has been revoked.');
}
