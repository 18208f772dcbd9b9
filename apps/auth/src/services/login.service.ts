import { normalizeEmail, parseEmail } from '@platform/contracts';
import { users, type EntityManager, type User } from '@platform/db';
import { AppError, assertThat } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from './accounts.service.js';
import type { Lockout } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionIssuer, SignInResult } from './session-issuer.js';
import { reserveAttempt, type SignInAttempt } from './sign-in-attempts.js';
import { invalidCredentials, recordSignInFailure, type LockNotice } from './sign-in-failures.js';
import type { TrustedDevices } from './trusted-devices.js';
import type { LoginChallenges, PendingLogin } from './two-factor/login-challenges.js';
import type { SecondFactor, TwoFactorService } from './two-factor/two-factor.service.js';

export interface LoginSettings {
  /** Refuse sign-in (403 email_not_verified) until the address is verified. */
  requireVerifiedEmail: boolean;
  /** What the lockout mail links to (reset the password, unlock this browser). */
  lockNotice: LockNotice;
}

export interface PasswordLogin {
  email: string;
  password: string;
  remember?: boolean | undefined;
  /** From an earlier sign-in (body or cookie); anything but a live device of this account is ignored. */
  deviceToken?: string | undefined;
}

/**
 * How a first factor ended: a session, or (2FA) a challenge the second step must answer. A result
 * rather than an error, so each route says how it answers: a JSON client gets `totpRequired`, a
 * browser finishing an OAuth sign-in is sent to the web app to enter its code.
 */
export type SignInOutcome =
  { kind: 'session'; tokens: SignInResult } | { kind: 'second-factor'; challenge: string; expiresIn: number };

/** The answer to a JSON client whose sign-in needs its second factor: 401 with the challenge. */
export function totpRequired(outcome: { challenge: string; expiresIn: number }): AppError {
  const { challenge, expiresIn } = outcome;
  return new AppError('totp_required', 'Enter the code from your authenticator app.', {
    extensions: { challenge, expiresIn },
  });
}

const invalidChallenge = () =>
  new AppError('invalid_challenge', 'The sign-in has expired or was already completed; sign in again.');

/**
 * Sign-in: the password step, and for accounts with 2FA the second step that completes it. Both end
 * in `SessionIssuer.startSession`.
 *
 * Lockout: every attempt of either step reserves one attempt of the identifier's budget (and the
 * client IP's) before any check. A wrong password or a wrong (or replayed) code is a failure; the
 * budget starts over only when the whole sign-in succeeds. A correct password on a 2FA account is
 * neither: its attempt stays counted until the second factor passes, so knowing the password buys
 * no more code guesses than the threshold, and a lock reached there mails the owner as usual.
 *
 * A sign-in through a trusted device of the account (its device token presented) reserves from that
 * device's own budget instead, through both steps; see `reserveAttempt` for the rule.
 */
export class LoginService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly events: EventSink,
    private readonly lockout: Lockout,
    private readonly issuer: SessionIssuer,
    private readonly twoFactor: TwoFactorService,
    private readonly challenges: LoginChallenges,
    private readonly devices: TrustedDevices,
    private readonly settings: LoginSettings,
  ) {}

  /**
   * Password sign-in. Unknown email, wrong password and an inactive account all cost one hash and
   * answer the same 401, so neither the body nor the timing tells whether an account exists. An
   * account with 2FA gets a challenge for POST /login/2fa instead of a session.
   */
  async login(input: PasswordLogin, meta: RequestMeta): Promise<SignInOutcome> {
    const email = parseEmail(input.email);
    const identifier = email ?? normalizeEmail(input.email);
    const ip = meta.ip ?? 'unknown';
    const device = email && input.deviceToken ? await this.devices.recognise(input.deviceToken, email) : null;
    const deviceId = device?.id ?? null;
    // Reserved before hashing, atomically: of 50 parallel guesses only the threshold reach the hash.
    const attempt = await reserveAttempt(this.lockout, { identifier, ip, deviceId });
    let user: User | null;
    let matches: boolean;
    try {
      user = email
        ? await users.findByEmail(this.em, email, { standing: 'existing', withPassword: true })
        : null;
      matches = await this.hasher.verify(input.password, user?.passwordHash ?? null);
    } catch (error) {
      await attempt.release();
      throw error;
    }
    if (!user || !matches || user.status !== 'active') {
      const lockedUntil = await attempt.failed();
      await this.recordFailure('login.failed', identifier, user, lockedUntil, attempt, meta);
      throw invalidCredentials();
    }
    await this.upgradeHash(user, input.password);
    const secondFactor = await this.twoFactor.isEnabled(user.id);
    if (!secondFactor) await attempt.succeeded();
    assertThat(
      user.emailVerifiedAt || !this.settings.requireVerifiedEmail,
      () => new AppError('email_not_verified', 'Verify your email address before signing in.'),
    );
    const remember = input.remember ?? false;
    if (secondFactor)
      return this.secondFactorChallenge(
        { userId: user.id, remember, identifier, deviceId: device?.id },
        meta,
      );
    const tokens = await this.issuer.startSession(user, { remember, identifier, deviceId }, meta);
    return { kind: 'session', tokens };
  }

  /**
   * Re-hashes a password just proven right whose stored hash is outdated (bcrypt, or Argon2id with
   * other parameters than configured), so accounts move to the current hash as their owners sign in.
   * Committed at once: it holds whether or not the rest of the sign-in (a second factor) succeeds.
   */
  private async upgradeHash(user: User, password: string): Promise<void> {
    if (!user.passwordHash) return;
    const upgraded = await this.hasher.upgrade(password, user.passwordHash);
    if (!upgraded) return;
    user.passwordHash = upgraded;
    await this.em.flush();
  }

  /**
   * Sign-in after a first factor other than the password (an OAuth provider): the same rules as the
   * password step from there on, so an account with 2FA still gets a challenge for POST /login/2fa.
   * `user` must be active; the caller has checked.
   */
  async signInVerified(
    user: User,
    signIn: { remember: boolean; provider: string },
    meta: RequestMeta,
  ): Promise<SignInOutcome> {
    assertThat(
      user.emailVerifiedAt || !this.settings.requireVerifiedEmail,
      () => new AppError('email_not_verified', 'Verify your email address before signing in.'),
    );
    const { remember, provider } = signIn;
    const identifier = user.email;
    if (await this.twoFactor.isEnabled(user.id))
      return this.secondFactorChallenge({ userId: user.id, remember, identifier, provider }, meta);
    const tokens = await this.issuer.startSession(user, { remember, identifier, provider }, meta);
    return { kind: 'session', tokens };
  }

  /** Issues the challenge of a two-step sign-in, for POST /login/2fa. */
  private async secondFactorChallenge(
    pending: Omit<PendingLogin, 'ip' | 'userAgent'>,
    meta: RequestMeta,
  ): Promise<SignInOutcome> {
    const challenge = await this.challenges.issue({ ...pending, ip: meta.ip, userAgent: meta.userAgent });
    return { kind: 'second-factor', challenge, expiresIn: this.challenges.ttlSeconds };
  }

  /**
   * The second step: a challenge from the password step plus a TOTP code or a recovery code. A wrong
   * code leaves the challenge usable until it expires, takes its fifth wrong code, or the identifier
   * locks; a right one uses it up and starts the session exactly as a password sign-in does.
   */
  async loginWithSecondFactor(input: { challenge: string } & SecondFactor, meta: RequestMeta) {
    const pending = await this.challenges.peek(input.challenge);
    assertThat(pending, invalidChallenge);
    const { identifier } = pending;
    const ip = meta.ip ?? 'unknown';
    // A device forgotten since the password step (password reset, revoked) no longer has a budget of its own.
    const trusted = pending.deviceId && (await this.devices.stillTrusted(pending.deviceId, pending.userId));
    const deviceId = trusted ? (pending.deviceId ?? null) : null;
    const attempt = await reserveAttempt(this.lockout, { identifier, ip, deviceId });
    let user: User | null;
    let check: Awaited<ReturnType<TwoFactorService['check']>> | null;
    try {
      user = await users.findActiveById(this.em, pending.userId);
      check = user ? await this.twoFactor.check(user.id, input) : null;
    } catch (error) {
      await attempt.release();
      throw error;
    }
    if (!user || !check) {
      // Deactivated since the password step: nothing to guess at any more.
      await attempt.release();
      await this.challenges.claim(input.challenge);
      throw invalidChallenge();
    }
    if (!check.ok) {
      await this.challenges.strike(input.challenge);
      const lockedUntil = await attempt.failed();
      if (lockedUntil) await this.challenges.claim(input.challenge);
      await this.recordFailure('login.2fa_failed', identifier, user, lockedUntil, attempt, meta);
      throw check.reason === 'code_reused'
        ? new AppError('code_reused', 'This code was already used; wait for the next one.')
        : new AppError('invalid_code', 'The code is not valid.');
    }
    // Of two right answers at once, one signs in; the other finds the challenge gone.
    assertThat(await this.challenges.claim(input.challenge), invalidChallenge);
    await attempt.succeeded();
    const passwordStep = { ip: pending.ip, userAgent: pending.userAgent };
    const { remember, provider } = pending;
    const signIn = {
      remember,
      identifier,
      secondFactor: check.method,
      passwordStep,
      deviceId,
      ...(provider ? { provider } : {}),
    };
    return this.issuer.startSession(user, signIn, meta);
  }

  private recordFailure(
    action: string,
    identifier: string,
    user: User | null,
    lockedUntil: Date | null,
    attempt: SignInAttempt,
    meta: RequestMeta,
  ): Promise<void> {
    const failure = { action, identifier, user, lockedUntil, deviceId: attempt.deviceId };
    return recordSignInFailure(this.em, this.events, this.settings.lockNotice, failure, meta);
  }
}
