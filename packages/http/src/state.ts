import type { AccessClaims } from '@platform/contracts';
import type { Logger } from '@platform/observability';

/** What the kit's middleware puts on `ctx.state` for every request. */
export interface BaseState {
  requestId: string;
  log: Logger;
  /** Verified claims when a valid, unrevoked bearer token came with the request. */
  user?: AccessClaims;
  /** Why a presented token was not accepted (a TokenError, or the denylist's own failure). */
  tokenError?: unknown;
}

/** State behind `requireAuth`: the caller is known. */
export interface AuthState extends BaseState {
  user: AccessClaims;
  /** The raw bearer token (for logout). */
  token: string;
}
