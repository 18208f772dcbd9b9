import type { AccessClaims } from '@platform/contracts';
import type { Logger } from '@platform/observability';

/**
 * What a route does with an answer that does not match its contract's success schema: nothing in
 * production, a warning in development, a failed request under test (so the suites prove the schemas).
 */
export type AnswerCheck = 'off' | 'log' | 'fail';

/** What the kit's middleware puts on `ctx.state` for every request. */
export interface BaseState {
  requestId: string;
  log: Logger;
  /** Set by the kit from its options; see `handle` in contract-route.ts. */
  answerCheck?: AnswerCheck;
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
