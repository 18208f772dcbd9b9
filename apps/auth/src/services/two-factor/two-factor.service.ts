import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import {
  TotpRecoveryCode,
  UniqueConstraintViolationException,
  User,
  users,
  UserTotp,
  type EntityManager,
} from '@platform/db';
import { AppError, assertThat, auditEntry, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { SecretBox } from '@platform/tokens';
import type { RequestMeta } from '../accounts.service.js';
import type { Lockout } from '../lockout.js';
import type { PasswordHasher } from '../password-hasher.js';
import { checkProofAttempt } from '../sign-in-attempts.js';
import type { LockNotice } from '../sign-in-failures.js';
import type { UsedTotpSteps } from './login-challenges.js';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.js';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.js';

/** A second factor as a client presents it: a code from the app, or one of the recovery codes. */
export type SecondFactor = { code: string } | { recoveryCode: string };

/** The verdict on a second factor; a good one has been used up (TOTP step claimed, recovery code spent). */
export type FactorCheck =
  { ok: true; method: 'totp' | 'recovery_code' } | { ok: false; reason: 'invalid_code' | 'code_reused' };

export interface TwoFactorSettings {
  /** Shown by authenticator apps above the account name. */
  issuer: string;
  /** What the mail says when failed attempts here lock the identifier. */
  lockNotice: LockNotice;
}

const alreadyEnabled = () =>
  Errors.conflict('totp_already_enabled', 'Two-factor authentication is already enabled.');
export const invalidCode = () => new AppError('code_mismatch', 'The code does not match.');

/**
 * TOTP two-factor authentication: setup (a pending secret), enable (confirmed with a code, returns
 * recovery codes once), disable (password plus a code), and checking a second factor at sign-in.
 * Secrets are sealed with the user id as associated data; recovery codes are stored hashed.
 */
export class TwoFactorService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly events: EventSink,
    private readonly lockout: Lockout,
    private readonly box: SecretBox,
    private readonly usedSteps: UsedTotpSteps,
    private readonly settings: TwoFactorSettings,
  ) {}

  /** Whether sign-in must ask this user for a second factor. */
  async isEnabled(userId: string): Promise<boolean> {
    return (await this.em.count(UserTotp, { userId, enabledAt: { $ne: null } })) > 0;
  }

  /**
   * A new secret for the authenticator app, kept pending (nothing changes at sign-in) until enabled
   * with a code; calling it again replaces the pending secret.
   */
  async setup(userId: string, meta: RequestMeta) {
    const user = await users.findExistingById(this.em, userId);
    assertThat(user, () => Errors.unauthorized());
    const row = await this.em.findOne(UserTotp, { userId });
    assertThat(!row?.enabledAt, alreadyEnabled);
    const secret = newTotpSecret();
    const sealed = this.box.seal(secret, userId);
    const now = new Date();
    if (row) row.pendingSecretEnc = sealed;
    else {
      this.em.create(UserTotp, {
        userId,
        secretEnc: null,
        pendingSecretEnc: sealed,
        enabledAt: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    this.audit('2fa.setup', userId, meta);
    try {
      await this.em.flush();
    } catch (error) {
      // Two setups at once for a user who had none: the other one won; asking again is safe.
      if (error instanceof UniqueConstraintViolationException)
        throw Errors.conflict('conflict', 'Another setup ran at the same time; try again.');
      throw error;
    }
    const url = otpauthUrl(secret, this.settings.issuer, user.email);
    return { secret, otpauthUrl: url, qrCode: await QRCode.toDataURL(url) };
  }

  /**
   * Enables 2FA once a code from the pending secret proves the app has it. The code's step is claimed,
   * so it cannot sign in as well. Returns the recovery codes: the only time they are ever shown.
   */
  async enable(userId: string, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    const row = await this.em.findOne(UserTotp, { userId });
    assertThat(!row?.enabledAt, alreadyEnabled);
    const pending = row?.pendingSecretEnc;
    assertThat(pending, () => Errors.conflict('totp_not_pending', 'Start with POST /2fa/setup.'));
    const step = verifyTotp(this.box.open(pending, userId), code);
    assertThat(step !== null && (await this.usedSteps.claim(userId, step)), invalidCode);

    const recoveryCodes = newRecoveryCodes();
    await this.em.transactional(async (em) => {
      const now = new Date();
      // Conditional on the very secret checked above: of two concurrent enables exactly one wins, and
      // a setup that replaced the pending secret meanwhile makes this one start over.
      const claimed = await em.nativeUpdate(
        UserTotp,
        { userId, enabledAt: null, pendingSecretEnc: pending },
        { secretEnc: pending, pendingSecretEnc: null, enabledAt: now, updatedAt: now },
      );
      assertThat(claimed === 1, () => Errors.conflict('conflict', 'The setup changed meanwhile; try again.'));
      await em.nativeDelete(TotpRecoveryCode, { user: userId });
      for (const recoveryCode of recoveryCodes) {
        em.create(TotpRecoveryCode, {
          id: randomUUID(),
          user: em.getReference(User, userId),
          codeHash: hashRecoveryCode(userId, recoveryCode),
          createdAt: now,
          usedAt: null,
        });
      }
      this.changed(em, '2fa.enable', userId, meta);
    });
    return { recoveryCodes };
  }

  /**
   * Disables 2FA with the password and a current code or a recovery code, so a stolen access token
   * alone cannot. Wrong guesses count toward the sign-in lockout of the account's address, which
   * keeps someone holding the token and the password from trying codes without end.
   */
  async disable(userId: string, password: string, factor: SecondFactor, meta: RequestMeta): Promise<void> {
    const user = await users.findExistingById(this.em, userId, { withPassword: true });
    assertThat(user, () => Errors.unauthorized());
    assertThat(await this.isEnabled(userId), () =>
      Errors.conflict('totp_not_enabled', 'Two-factor authentication is not enabled.'),
    );
    const deps = {
      em: this.em,
      events: this.events,
      lockout: this.lockout,
      lockNotice: this.settings.lockNotice,
    };
    await checkProofAttempt(deps, user, '2fa.disable_failed', meta, () =>
      this.proofFailure(user, password, factor),
    );
    await this.em.transactional(async (em) => {
      await em.nativeDelete(TotpRecoveryCode, { user: userId });
      await em.nativeDelete(UserTotp, { userId });
      this.changed(em, '2fa.disable', userId, meta);
    });
  }

  /**
   * Checks and uses up a second factor of a user with 2FA enabled: a TOTP code (±1 step, each step
   * once) or an unused recovery code (spent by one conditional UPDATE, so it works exactly once).
   */
  async check(userId: string, factor: SecondFactor): Promise<FactorCheck> {
    if ('code' in factor) {
      const row = await this.em.findOne(UserTotp, { userId, enabledAt: { $ne: null } });
      const step = row?.secretEnc ? verifyTotp(this.box.open(row.secretEnc, userId), factor.code) : null;
      if (step === null) return { ok: false, reason: 'invalid_code' };
      if (!(await this.usedSteps.claim(userId, step))) return { ok: false, reason: 'code_reused' };
      return { ok: true, method: 'totp' };
    }
    const canonical = normalizeRecoveryCode(factor.recoveryCode);
    if (!canonical) return { ok: false, reason: 'invalid_code' };
    const spent = await this.em.nativeUpdate(
      TotpRecoveryCode,
      { user: userId, codeHash: hashRecoveryCode(userId, canonical), usedAt: null },
      { usedAt: new Date() },
    );
    return spent === 1 ? { ok: true, method: 'recovery_code' } : { ok: false, reason: 'invalid_code' };
  }

  /** What is wrong with a password plus second factor, or null when both hold (and the factor is spent). */
  private async proofFailure(user: User, password: string, factor: SecondFactor): Promise<AppError | null> {
    if (!(await this.hasher.verify(password, user.passwordHash)))
      return new AppError('invalid_current_password', 'The password is incorrect.');
    return (await this.check(user.id, factor)).ok ? null : invalidCode();
  }

  /** Stages the audit record and `user.updated` of an enable or disable in `em`. */
  private changed(em: EntityManager, action: string, userId: string, meta: RequestMeta): void {
    this.events.stage(em, 'user.updated', { userId, changes: ['twoFactor'] });
    this.events.stage(em, 'log.audit', auditEntry(meta, { action, actorId: userId, targetId: userId }));
  }

  private audit(action: string, userId: string, meta: RequestMeta): void {
    this.events.stage(this.em, 'log.audit', auditEntry(meta, { action, actorId: userId, targetId: userId }));
  }
}
