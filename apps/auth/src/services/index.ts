import type { EntityManager } from '@platform/db';
import type { ServiceResources } from '@platform/runtime';
import type { AuthConfig } from '../config.js';
import { AccountsService } from './accounts.service.js';
import { Lockout } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import { PasswordsService } from './passwords.service.js';
import { SessionsService } from './sessions.service.js';

export interface AuthServices {
  accounts: AccountsService;
  sessions: SessionsService;
  passwords: PasswordsService;
}

/** Wires auth's services from its config and resources; `em` defaults to the request-scoped global one. */
export function createServices(
  deps: ServiceResources & { config: AuthConfig; hasher: PasswordHasher },
  em: EntityManager = deps.orm.em,
): AuthServices {
  const { config, hasher, events, denylist, tokens } = deps;
  const lockout = new Lockout(deps.redis, {
    threshold: config.LOCKOUT_THRESHOLD,
    ipThreshold: config.LOCKOUT_IP_THRESHOLD,
    windowSeconds: config.LOCKOUT_WINDOW_SECONDS,
    lockSeconds: config.LOCKOUT_DURATION_SECONDS,
    maxLockSeconds: config.LOCKOUT_MAX_DURATION_SECONDS,
  });
  const links = {
    publicWebUrl: config.PUBLIC_WEB_URL,
    verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
  };
  return {
    accounts: new AccountsService(em, hasher, events, links, denylist),
    sessions: new SessionsService(em, hasher, tokens, denylist, events, lockout, {
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      rememberTtlSeconds: config.REFRESH_TOKEN_REMEMBER_TTL_SECONDS,
      reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
      requireVerifiedEmail: config.REQUIRE_EMAIL_VERIFICATION,
      // No token in it: the reader asks for a reset link themselves if they want one.
      forgotPasswordUrl: new URL('forgot-password', withSlash(config.PUBLIC_WEB_URL)).toString(),
    }),
    passwords: new PasswordsService(em, hasher, denylist, events, lockout, deps.log, {
      ...links,
      resetTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
    }),
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
