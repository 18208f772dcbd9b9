import type { EntityManager, User } from '@platform/db';
import { AppError } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from './accounts.service.js';
import { authAudit } from './audit.js';

export const invalidCredentials = () =>
  new AppError('invalid_credentials', 'The email or password is incorrect.');

export const accountLocked = (retryAfterSeconds: number) =>
  new AppError('account_locked', 'Too many failed sign-ins. Try again later.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

export interface SignInFailure {
  /** `login.failed` for a password, `login.2fa_failed` for a second factor, ... */
  action: string;
  identifier: string;
  user: User | null;
  /** Set when this failure used up the identifier's budget and locked it. */
  lockedUntil: Date | null;
}

/**
 * Audits a failed sign-in step on its own unit of work (the request's is rolled back by the error);
 * when it locked the identifier, also audits that and mails the owner a link to reset the password.
 */
export async function recordSignInFailure(
  em: EntityManager,
  events: EventSink,
  forgotPasswordUrl: string,
  failure: SignInFailure,
  meta: RequestMeta,
): Promise<void> {
  const own = em.fork();
  const { identifier, user, lockedUntil } = failure;
  const targetId = user?.id ?? null;
  events.stage(
    own,
    'log.audit',
    authAudit(meta, { action: failure.action, actorId: null, targetId, after: { identifier } }),
  );
  if (lockedUntil) {
    events.stage(
      own,
      'log.audit',
      authAudit(meta, {
        action: 'login.locked',
        actorId: null,
        targetId,
        after: { identifier, lockedUntil: lockedUntil.toISOString() },
      }),
    );
    if (user) {
      events.stage(own, 'email.send', {
        template: 'account_locked',
        to: user.email,
        userId: user.id,
        displayName: user.displayName,
        lockedUntil: lockedUntil.toISOString(),
        ip: meta.ip,
        resetUrl: forgotPasswordUrl,
      });
    }
  }
  await own.flush();
}
