import { parseEmail } from '@platform/contracts';
import {
  AccountTokens,
  mailVerificationLink,
  sessions,
  users,
  type EntityManager,
  type User,
} from '@platform/db';
import { AppError, assertThat, auditEntry } from '@platform/http';
import type { Logger } from '@platform/observability';
import type { EventSink } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';
import type { RequestMeta } from './accounts.service.js';
import type { Lockout } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import { passwordWeakness } from './password-policy.js';
import type { TrustedDevices } from './trusted-devices.js';

export interface PasswordSettings {
  publicWebUrl: string;
  resetTtlSeconds: number;
  verificationTtlSeconds: number;
}

/** Who a mail about `user` goes to. */
function recipient(user: User) {
  return { to: user.email, userId: user.id, displayName: user.displayName };
}

const invalidToken = () => new AppError('invalid_link', 'This link is invalid, used or expired.');

/** Forgotten passwords, resets, changes, and re-sent verification mails. */
export class PasswordsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly denylist: Denylist,
    private readonly events: EventSink,
    private readonly lockout: Lockout,
    private readonly devices: TrustedDevices,
    private readonly log: Logger,
    private readonly settings: PasswordSettings,
  ) {}

  /**
   * Mails a reset link if an active account has this address. The caller answers 202 at once and this
   * runs afterwards, so the response takes the same time whether or not the account exists.
   */
  requestReset(emailInput: string, meta: RequestMeta): void {
    this.detached('password reset request', async (em) => {
      const user = await this.activeUser(em, emailInput);
      if (!user) return;
      const tokens = new AccountTokens(em);
      await tokens.revokeAll(user, 'password_reset');
      const link = tokens.issueLink(
        user,
        'password_reset',
        this.settings.resetTtlSeconds,
        this.settings.publicWebUrl,
      );
      this.events.stage(em, 'email.send', {
        template: 'password_reset',
        ...recipient(user),
        resetUrl: link.url,
        expiresAt: link.expiresAt,
      });
      this.events.stage(
        em,
        'log.audit',
        auditEntry(meta, { action: 'password.reset_requested', actorId: null, targetId: user.id }),
      );
      await em.flush();
    });
  }

  /** The same for a verification link, when the account's address is not verified yet. */
  resendVerification(emailInput: string, meta: RequestMeta): void {
    this.detached('verification resend', async (em) => {
      const user = await this.activeUser(em, emailInput);
      if (!user || user.emailVerifiedAt) return;
      await new AccountTokens(em).revokeAll(user, 'verify_email');
      mailVerificationLink(em, this.events, user, 'verify_email', this.settings);
      this.events.stage(
        em,
        'log.audit',
        auditEntry(meta, { action: 'email.verification_resent', actorId: null, targetId: user.id }),
      );
      await em.flush();
    });
  }

  /**
   * Sets a new password with a mailed token. The password is checked before the token is used up, so
   * a weak one can be corrected with the same link; every session of the account ends.
   */
  async reset(token: string, password: string, meta: RequestMeta): Promise<void> {
    const tokens = new AccountTokens(this.em);
    const candidate = await tokens.peek(token, 'password_reset');
    assertThat(candidate, invalidToken);
    this.assertStrong(password, candidate);
    const passwordHash = await this.hasher.hash(password);
    const user = await tokens.consume(token, 'password_reset');
    assertThat(user, invalidToken);
    user.passwordHash = passwordHash;
    // Only the owner of the mailbox could follow the link: that verifies the address too.
    user.emailVerifiedAt ??= new Date();
    const revoked = await sessions.revokeAllFor(this.em, this.events, user.id, 'password_reset');
    // Ownership is proved again: no device trusted before (perhaps a stolen one) outlives that.
    await this.devices.revokeAll(user.id, 'password_reset', meta);
    this.stageChanged(user, 'password.reset', meta);
    await this.em.flush();
    await this.denylist.revokeSessions(revoked);
    await this.lockout.clear(user.email);
  }

  /** Changes the caller's password; their other sessions end, the current one stays. */
  async change(
    userId: string,
    sessionId: string,
    current: string,
    next: string,
    meta: RequestMeta,
  ): Promise<void> {
    const user = await users.findExistingById(this.em, userId, { withPassword: true });
    const matches = await this.hasher.verify(current, user?.passwordHash ?? null);
    assertThat(
      user && matches,
      () => new AppError('invalid_current_password', 'The current password is incorrect.'),
    );
    this.assertStrong(next, user);
    user.passwordHash = await this.hasher.hash(next);
    const revoked = await sessions.revokeAllFor(this.em, this.events, user.id, 'password_changed', {
      except: sessionId,
    });
    // Every device too, this one included: the next sign-in here trusts it again.
    await this.devices.revokeAll(user.id, 'password_changed', meta);
    this.stageChanged(user, 'password.change', meta);
    await this.em.flush();
    await this.denylist.revokeSessions(revoked);
  }

  private assertStrong(password: string, user: User): void {
    const weakness = passwordWeakness(password, [user.email, user.displayName]);
    assertThat(!weakness, () => new AppError('weak_password', weakness ?? ''));
  }

  private stageChanged(user: User, action: string, meta: RequestMeta): void {
    this.events.stage(this.em, 'email.send', {
      template: 'password_changed',
      ...recipient(user),
      at: new Date().toISOString(),
      ip: meta.ip,
    });
    this.events.stage(
      this.em,
      'log.audit',
      auditEntry(meta, { action, actorId: user.id, targetId: user.id }),
    );
  }

  private async activeUser(em: EntityManager, emailInput: string): Promise<User | null> {
    const email = parseEmail(emailInput);
    if (!email) return null;
    return users.findByEmail(em, email, { standing: 'active' });
  }

  /** Runs after the response on its own unit of work; a failure is logged (the user can ask again). */
  private detached(what: string, work: (em: EntityManager) => Promise<void>): void {
    setImmediate(() => {
      work(this.em.fork()).catch((error: unknown) => this.log.error({ err: error }, `${what} failed`));
    });
  }
}
