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
  ) {}

  /**
   * The synchronous part: verifies the token and looks it up in the mirror. `revoked` is undefined when
   * only Redis can tell (the mirror is not current): finish with `settle`. Throws a TokenError (code =
   * the problem code) to refuse.
   */
  verify(token: string | undefined): Verified {
    if (!token) throw new TokenError('invalid_token', 'An access token is required.');
    const claims = this.tokens.verify(token);
    const revoked = this.denylist.checkLocally(claims);
    if (revoked) throw revokedError();
    return { claims, revoked };
  }

  /** The claims of a verified token once Redis was asked, if the mirror could not tell. */
  async settle({ claims, revoked }: Verified): Promise<AccessClaims> {
    if (revoked === undefined && (await this.denylist.isRevoked(claims))) throw revokedError();
    return claims;
  }

  /** The claims of a token that may be used; throws a TokenError (code = the problem code) otherwise. */
  authenticate(token: string | undefined): Promise<AccessClaims> {
    try {
      return this.settle(this.verify(token));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** A token whose signature and claims are valid; `revoked: undefined` means "ask Redis". */
export interface Verified {
  claims: AccessClaims;
  revoked: false | undefined;
}

function revokedError(): TokenError {
  return new TokenError('token_revoked', 'The access token has been revoked.');
}
