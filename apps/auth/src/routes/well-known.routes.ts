import { AUTH_PUBLIC_ROUTES, byOperationId } from '@platform/contracts';
import { handle, publicRouter, type BaseState, type Router } from '@platform/http';
import type { AccessTokens } from '@platform/tokens';

const api = byOperationId(AUTH_PUBLIC_ROUTES);

export interface WellKnownDeps {
  tokens: AccessTokens;
  /** JWT_ISSUER: a URL, under which these documents are found. */
  issuer: string;
}

/**
 * How anyone verifies our access tokens: the public keys (RFC 7517) and a discovery document in the
 * shape of OpenID Connect Discovery 1.0, so libraries that take an issuer URL find the JWKS. Caches may
 * keep the JWKS for 5 minutes: a new key is published at least that long before it signs.
 */
export function wellKnownRoutes(deps: WellKnownDeps): Router<BaseState> {
  const router = publicRouter();
  const issuer = deps.issuer.replace(/\/$/, '');
  const discovery = {
    issuer: deps.issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    // Access tokens, not id_tokens, are what we sign; this is the one algorithm they use.
    id_token_signing_alg_values_supported: [deps.tokens.keys.algorithm],
    subject_types_supported: ['public'],
    claims_supported: ['sub', 'role', 'sid', 'jti', 'iat', 'exp', 'iss', 'aud'],
  };

  handle(router, api.getJwks, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/jwk-set+json';
    ctx.body = deps.tokens.keys.jwks();
  });

  handle(router, api.getOpenIdConfiguration, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = discovery;
  });

  return router;
}
