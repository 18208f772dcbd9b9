import type { AccessClaims } from '@platform/contracts';
import { TokenError, type AccessTokens, type Denylist } from '@platform/tokens';

/** The token a client presented: `Authorization: Bearer` first, else the `access_token` query parameter. */
export function presentedToken(authorization: string, queryToken: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (match?.[1]) return match[1];
  return queryToken ? queryToken : undefined;
}

/**
 * Verifies access tokens for the socket tier: signature (HS256 pinned, key built once by AccessTokens),
 * issuer, audience, expiry, then the Redis denylist, so a logged-out token cannot open a socket even
 * though it has not expired. Browsers cannot set headers on a WebSocket, hence the query parameter.
 */
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly denylist: Denylist,
  ) {}

  /** The token's claims; throws a TokenError (code = the problem code) when it must be refused. */
  async authenticate(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw new TokenError('invalid_token', 'An access token is required.');
    const claims = this.tokens.verify(token);
    if (await this.denylist.isRevoked(claims)) {
      throw new TokenError('token_revoked', 'The access token has been revoked.');
    }
    return claims;
  }
}
