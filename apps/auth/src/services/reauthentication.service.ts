import { Session, type EntityManager, type User } from '@platform/db';
import { AppError, assertThat, auditEntry } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from './accounts.service.js';
import type { Lockout } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionIssuer } from './session-issuer.js';
import { checkProofAttempt } from './sign-in-attempts.js';
import { invalidCredentials, type LockNotice } from './sign-in-failures.js';
import type { SecondFactor, TwoFactorService } from './two-factor/two-factor.service.js';

/** What a signed-in user offers to prove themselves again: the password, or a second factor. */
export type Proof = { password: string } | SecondFactor;

export interface Reauthenticated {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** When the proof was accepted, in seconds: the `auth_time` of this token and of every refresh after it. */
  authTime: number;
}

const revoked = () => new AppError('token_revoked', 'This session has been revoked.');

/**
 * Step-up: a signed-in user proves who they are again, so a sensitive change (a new email address,
 * 2FA, an unlinked provider) is made by them and not by whoever holds their access token. The
 * session's `authenticatedAt` moves to now and a fresh access token carries it as `auth_time`.
 * Guesses count toward the sign-in lockout of the account's address like any sign-in.
 */
export class ReauthenticationService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly events: EventSink,
    private readonly lockout: Lockout,
    private readonly twoFactor: TwoFactorService,
    private readonly issuer: SessionIssuer,
    private readonly settings: { lockNotice: LockNotice },
  ) {}

  async reauthenticate(
    caller: { sub: string; sid: string },
    proof: Proof,
    meta: RequestMeta,
  ): Promise<Reauthenticated> {
    const session = await this.em.findOne(
      Session,
      { id: caller.sid, user: caller.sub, revokedAt: null },
      { populate: ['user', 'user.passwordHash'] },
    );
    assertThat(session, revoked);
    const { user } = session;
    assertThat(user.status === 'active' && !user.deletedAt, revoked);

    const deps = {
      em: this.em,
      events: this.events,
      lockout: this.lockout,
      lockNotice: this.settings.lockNotice,
    };
    await checkProofAttempt(deps, user, 'reauth.failed', meta, () => this.failureOf(user, proof));

    const now = new Date();
    session.authenticatedAt = now;
    const access = this.issuer.accessToken(session, user);
    const method = 'password' in proof ? 'password' : 'code' in proof ? 'totp' : 'recovery_code';
    this.events.stage(
      this.em,
      'log.audit',
      auditEntry(meta, {
        action: 'reauth.succeeded',
        actorId: user.id,
        targetId: user.id,
        after: { sessionId: session.id, method },
      }),
    );
    await this.em.flush();
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      authTime: Math.floor(now.getTime() / 1000),
    };
  }

  /**
   * Why the proof fails, or null when it holds (a second factor is then used up). A password on an
   * account without one fails like a wrong one; a code on an account without 2FA is an invalid code.
   */
  private async failureOf(user: User, proof: Proof): Promise<AppError | null> {
    if ('password' in proof)
      return (await this.hasher.verify(proof.password, user.passwordHash)) ? null : invalidCredentials();
    if (!(await this.twoFactor.isEnabled(user.id)))
      return new AppError('invalid_code', 'Two-factor authentication is not enabled on this account.');
    const check = await this.twoFactor.check(user.id, proof);
    if (check.ok) return null;
    return check.reason === 'code_reused'
      ? new AppError('code_reused', 'This code was already used; wait for the next one.')
      : new AppError('invalid_code', 'The code is not valid.');
  }
}
