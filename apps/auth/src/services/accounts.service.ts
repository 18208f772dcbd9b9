import { can, parseEmail, type AccessClaims, type Role } from '@platform/contracts';
import { newUserData, User, type EntityManager } from '@platform/db';
import { UniqueConstraintViolationException, AccountTokens } from '@platform/db';
import { AppError, assertThat, Errors } from '@platform/http';
import { revokeSessions, type EventSink } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';
import { authAudit } from './audit.js';
import type { PasswordHasher } from './password-hasher.js';
import { passwordWeakness } from './password-policy.js';
import type { TrustedDevices } from './trusted-devices.js';

export interface RegisterInput {
  email: string;
  password: string;
  displayName?: string | undefined;
  role?: Role | undefined;
}

export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

const emailTaken = () => Errors.conflict('email_taken', 'An account with this email already exists.');
const invalidToken = () => new AppError('invalid_link', 'This link is invalid, used or expired.');

export interface AccountSettings {
  publicWebUrl: string;
  verificationTtlSeconds: number;
}

/**
 * Accounts: registration, admin-created accounts and the bootstrap admin, email verification, undoing
 * an email change, self-deactivation.
 */
export class AccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly events: EventSink,
    private readonly settings: AccountSettings,
    private readonly denylist: Denylist,
    private readonly devices: TrustedDevices,
  ) {}

  /**
   * Deactivates the caller's own account (soft delete): data kept, the address stays taken, sign-in
   * and refresh refused, every session ended. Needs the password, so a stolen access token cannot.
   */
  async deactivate(userId: string, password: string, meta: RequestMeta): Promise<void> {
    const user = await this.em.findOne(User, { id: userId, deletedAt: null }, { populate: ['passwordHash'] });
    const matches = await this.hasher.verify(password, user?.passwordHash ?? null);
    assertThat(user && matches, () => new AppError('invalid_current_password', 'The password is incorrect.'));
    const before = { status: user.status };
    user.status = 'deactivated';
    user.deletedAt = new Date();
    const revoked = await revokeSessions(this.em, this.events, user.id, 'account_deactivated');
    await this.devices.revokeAll(user.id, 'account_deactivated', meta);
    this.events.stage(this.em, 'user.deleted', { userId: user.id, reason: 'self' });
    this.events.stage(
      this.em,
      'log.audit',
      authAudit(meta, {
        action: 'user.deactivate',
        actorId: user.id,
        targetId: user.id,
        before,
        after: { status: user.status },
      }),
    );
    await this.em.flush();
    await this.denylist.revokeSessions(revoked);
  }

  /** Marks the address a verification link was sent to as verified; the link then stops working. */
  async verifyEmail(token: string, meta: RequestMeta): Promise<void> {
    const user = await new AccountTokens(this.em).consume(token, 'verify_email');
    assertThat(user, invalidToken);
    if (!user.emailVerifiedAt) {
      user.emailVerifiedAt = new Date();
      this.events.stage(this.em, 'user.updated', { userId: user.id, changes: ['emailVerified'] });
      this.events.stage(
        this.em,
        'log.audit',
        authAudit(meta, {
          action: 'email.verify',
          actorId: user.id,
          targetId: user.id,
          after: { email: user.email },
        }),
      );
    }
    await this.em.flush();
  }

  /**
   * Undoes an email change from the link mailed to the old address: that address comes back
   * (verified: its owner just followed the link), links sent to the new one die, and every session
   * and trusted device ends, so whoever made the change is signed out. 409 email_taken if another account has taken
   * the old address since.
   */
  async revertEmailChange(token: string, meta: RequestMeta): Promise<void> {
    const tokens = new AccountTokens(this.em);
    const claimed = await tokens.consumeRevert(token);
    assertThat(claimed, invalidToken);
    const { user, address } = claimed;
    const before = { email: user.email };
    user.email = address;
    user.emailVerifiedAt = new Date();
    await tokens.revokeAll(user, 'verify_email');
    await tokens.revokeAll(user, 'password_reset');
    const revoked = await revokeSessions(this.em, this.events, user.id, 'email_change_reverted');
    // Whoever made the change may have signed in as the account meanwhile: their devices go too.
    await this.devices.revokeAll(user.id, 'email_change_reverted', meta);
    this.events.stage(this.em, 'user.updated', { userId: user.id, changes: ['email'] });
    this.events.stage(
      this.em,
      'log.audit',
      authAudit(meta, {
        action: 'email.revert',
        actorId: user.id,
        targetId: user.id,
        before,
        after: { email: address, sessionsRevoked: revoked.length },
      }),
    );
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
    await this.denylist.revokeSessions(revoked);
  }

  /** Registers an account. Any role above `user` needs an admin's token; an admin's call is audited. */
  async register(input: RegisterInput, actor: AccessClaims | undefined, meta: RequestMeta): Promise<User> {
    const role = input.role ?? 'user';
    if (role !== 'user') {
      assertThat(
        actor && can(actor.role, 'users:assign-role'),
        Errors.forbidden('Only an admin can create this role.'),
      );
    }
    return this.create({ ...input, role }, meta, actor ? { actorId: actor.sub } : undefined);
  }

  /** Creates the first admin from config when no account has that email yet; idempotent. */
  async ensureBootstrapAdmin(email: string, password: string): Promise<'created' | 'exists'> {
    const normalized = parseEmail(email);
    if (!normalized) throw new Error('BOOTSTRAP_ADMIN_EMAIL is not a valid email address');
    if (await this.em.count(User, { email: normalized })) return 'exists';
    const weakness = passwordWeakness(password, [normalized]);
    if (weakness) throw new Error(`BOOTSTRAP_ADMIN_PASSWORD is refused by the password policy: ${weakness}`);
    try {
      // No one is signed in at start-up: the audit record names no actor.
      await this.create(
        { email: normalized, password, role: 'admin', displayName: 'Administrator' },
        { requestId: null, ip: null, userAgent: 'bootstrap' },
        { actorId: null },
      );
      return 'created';
    } catch (error) {
      // Two replicas starting at once: the other one created it.
      if (error instanceof AppError && error.code === 'email_taken') return 'exists';
      throw error;
    }
  }

  /** Validates, hashes and stores an account with `user.registered`, the welcome mail and the audit record. */
  private async create(
    input: RegisterInput & { role: Role },
    meta: RequestMeta,
    audit: { actorId: string | null } | undefined,
  ): Promise<User> {
    const email = parseEmail(input.email);
    assertThat(email, new AppError('invalid_email', 'This is not a valid email address.'));
    const displayName = input.displayName?.trim() || email.split('@')[0] || email;
    const weakness = passwordWeakness(input.password, [email, displayName]);
    assertThat(!weakness, () => new AppError('weak_password', weakness ?? ''));
    // Cheap check first so a taken address costs no hash; the unique index settles races.
    assertThat(!(await this.em.count(User, { email })), emailTaken);

    const { role } = input;
    const user = this.em.create(
      User,
      newUserData({ email, role, displayName, passwordHash: await this.hasher.hash(input.password) }),
    );
    this.events.stage(this.em, 'user.registered', { userId: user.id, email, role, displayName });
    // The bootstrap admin's address comes from the operator: trusted, and nobody to welcome.
    if (audit?.actorId === null) user.emailVerifiedAt = user.createdAt;
    else {
      const { verificationTtlSeconds, publicWebUrl } = this.settings;
      const link = new AccountTokens(this.em).issueLink(
        user,
        'verify_email',
        verificationTtlSeconds,
        publicWebUrl,
      );
      this.events.stage(this.em, 'email.send', {
        template: 'welcome',
        to: email,
        userId: user.id,
        displayName,
        verifyUrl: link.url,
      });
    }
    if (audit) {
      this.events.stage(
        this.em,
        'log.audit',
        authAudit(meta, {
          action: 'user.create',
          actorId: audit.actorId,
          targetId: user.id,
          after: { email, role },
        }),
      );
    }
    // One transaction: the account, its events, its welcome mail and its audit record, or none of them.
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
    return user;
  }
}
