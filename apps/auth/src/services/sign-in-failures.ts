import { AccountTokens, type EntityManager, type User } from '@platform/db';
import { AppError, auditEntry } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from './accounts.service.js';

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
  /** Set when this failure used up its budget (the identifier's, or the device's) and locked it. */
  lockedUntil: Date | null;
  /** The trusted device the attempt came through: its own budget, not the identifier's. */
  deviceId?: string | null;
}

/** What the mail to the owner of a locked identifier links to. */
export interface LockNotice {
  /** The forgot-password page (no token in it). */
  forgotPasswordUrl: string;
  /** The web app that opens mailed links; the unlock link is `<publicWebUrl>/unlock-account?token=...`. */
  publicWebUrl: string;
  unlockTtlSeconds: number;
}

/**
 * Audits a failed sign-in step on its own unit of work (the request's is rolled back by the error).
 * When it locked the identifier, also audits that and mails the owner a link to reset the password
 * and a single-use unlock link that makes their browser a trusted device. A trusted device that
 * locked itself is audited only: its holder is the one failing, and the identifier is not locked.
 */
export async function recordSignInFailure(
  em: EntityManager,
  events: EventSink,
  notice: LockNotice,
  failure: SignInFailure,
  meta: RequestMeta,
): Promise<void> {
  const own = em.fork();
  const { identifier, user, lockedUntil } = failure;
  const deviceId = failure.deviceId ?? null;
  const targetId = user?.id ?? null;
  events.stage(
    own,
    'log.audit',
    auditEntry(meta, {
      action: failure.action,
      actorId: null,
      targetId,
      after: deviceId ? { identifier, deviceId } : { identifier },
    }),
  );
  if (lockedUntil && deviceId) {
    const after = { identifier, deviceId, lockedUntil: lockedUntil.toISOString() };
    events.stage(
      own,
      'log.audit',
      auditEntry(meta, { action: 'login.device_locked', actorId: null, targetId, after }),
    );
  } else if (lockedUntil) {
    events.stage(
      own,
      'log.audit',
      auditEntry(meta, {
        action: 'login.locked',
        actorId: null,
        targetId,
        after: { identifier, lockedUntil: lockedUntil.toISOString() },
      }),
    );
    if (user) {
      const unlock = new AccountTokens(own).issueLink(
        user,
        'unlock',
        notice.unlockTtlSeconds,
        notice.publicWebUrl,
      );
      events.stage(own, 'email.send', {
        template: 'account_locked',
        to: user.email,
        userId: user.id,
        displayName: user.displayName,
        lockedUntil: lockedUntil.toISOString(),
        ip: meta.ip,
        resetUrl: notice.forgotPasswordUrl,
        unlockUrl: unlock.url,
      });
    }
  }
  await own.flush();
}
