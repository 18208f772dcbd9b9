import { randomUUID } from 'node:crypto';
import { RefreshToken, Session, User, toPublicUser, type EntityManager } from '@platform/db';
import { AppError, assertThat, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { AccessTokens, Denylist } from '@platform/tokens';
import type { RequestMeta } from './accounts.service.js';
import { normalizeEmail, parseEmail } from '@platform/contracts';
import { authAudit } from './audit.js';
import type { Lockout } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';

export interface SessionSettings {
  refreshTtlSeconds: number;
  rememberTtlSeconds: number;
  reuseGraceSeconds: number;
  /** Refuse sign-in (403 email_not_verified) until the address is verified. */
  requireVerifiedEmail: boolean;
  /** Where the lockout mail sends a reader who wants to reset their password. */
  forgotPasswordUrl: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: ReturnType<typeof toPublicUser>;
}

const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The email or password is incorrect.');
const accountLocked = (retryAfterSeconds: number) =>
  new AppError(423, 'account_locked', 'Too many failed sign-ins. Try again later.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

const invalidRefresh = () => new AppError(401, 'invalid_token', 'The refresh token is not valid.');

/** Logins, refresh-token rotation with reuse detection, logout and session management. */
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly denylist: Denylist,
    private readonly events: EventSink,
    private readonly lockout: Lockout,
    private readonly settings: SessionSettings,
  ) {}

  /**
   * Password login. Unknown email, wrong password and an inactive account all cost one hash and
   * answer the same 401, so neither the body nor the timing tells whether an account exists.
   */
  async login(input: { email: string; password: string; remember?: boolean | undefined }, meta: RequestMeta) {
    const email = parseEmail(input.email);
    const identifier = email ?? normalizeEmail(input.email);
    const ip = meta.ip ?? 'unknown';
    // Reserved before hashing, atomically: of 50 parallel guesses only the threshold reach bcrypt.
    const reservation = await this.lockout.reserve(identifier, ip);
    if (!reservation.allowed) throw accountLocked(reservation.retryAfterSeconds);
    let user: User | null;
    let matches: boolean;
    try {
      user = email
        ? await this.em.findOne(User, { email, deletedAt: null }, { populate: ['passwordHash'] })
        : null;
      matches = await this.hasher.verify(input.password, user?.passwordHash ?? null);
    } catch (error) {
      await this.lockout.release(identifier, ip);
      throw error;
    }
    if (!user || !matches || user.status !== 'active') {
      const lockedUntil = await this.lockout.failed(identifier, ip, reservation);
      await this.recordFailure(identifier, user, lockedUntil, meta);
      throw invalidCredentials();
    }
    await this.lockout.succeeded(identifier, ip);
    assertThat(
      user.emailVerifiedAt || !this.settings.requireVerifiedEmail,
      () => new AppError(403, 'email_not_verified', 'Verify your email address before signing in.'),
    );

    const now = new Date();
    const remember = input.remember ?? false;
    const session = this.em.create(Session, {
      id: randomUUID(),
      user,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      ip: meta.ip,
      remember,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.sessionExpiry(remember, now),
      revokedAt: null,
      revokedReason: null,
    });
    const pair = this.issue(session, user, now);
    this.events.stage(this.em, 'user.logged_in', {
      userId: user.id,
      sessionId: session.id,
      displayName: user.displayName,
    });
    this.events.stage(
      this.em,
      'log.audit',
      authAudit(meta, {
        action: 'login.succeeded',
        actorId: user.id,
        targetId: user.id,
        after: { identifier },
      }),
    );
    await this.em.flush();
    return pair;
  }

  /**
   * Rotates a refresh token. Claiming it is one conditional UPDATE, so of two concurrent refreshes
   * exactly one rotates; the other lands in the grace window and gets a sibling token. A rotated
   * token presented after the grace window means it was stolen or replayed: the family dies.
   */
  async refresh(presented: string, meta: RequestMeta): Promise<TokenPair> {
    const stored = await this.em.findOne(
      RefreshToken,
      { tokenHash: hashRefreshToken(presented) },
      { populate: ['session', 'session.user'] },
    );
    assertThat(stored, invalidRefresh);
    const { session } = stored;
    const now = new Date();
    assertThat(
      !session.revokedAt,
      () => new AppError(401, 'token_revoked', 'This session has been revoked.'),
    );
    assertThat(
      stored.expiresAt > now && session.expiresAt > now,
      () => new AppError(401, 'token_expired', 'The refresh token has expired.'),
    );
    const user = session.user;
    if (user.status !== 'active' || user.deletedAt) {
      await this.revoke(session, 'account_inactive', meta);
      throw new AppError(401, 'token_revoked', 'This session has been revoked.');
    }

    const claimed = await this.em.nativeUpdate(
      RefreshToken,
      { id: stored.id, usedAt: null },
      { usedAt: now },
    );
    if (claimed === 0) {
      const fresh = await this.em.findOneOrFail(RefreshToken, stored.id, { refresh: true });
      const usedAt = fresh.usedAt ?? now;
      if (now.getTime() - usedAt.getTime() > this.settings.reuseGraceSeconds * 1000) {
        await this.revoke(session, 'refresh_token_reused', meta);
        throw new AppError(
          401,
          'token_reused',
          'This refresh token was already used; the session has been revoked.',
        );
      }
    }
    session.lastUsedAt = now;
    session.expiresAt = this.sessionExpiry(session.remember, now);
    const pair = this.issue(session, user, now);
    await this.em.flush();
    return pair;
  }

  /** Ends the caller's session: the presented access token, every token of its session, its refresh tokens. */
  async logout(
    claims: { sub: string; sid: string; jti: string; exp: number },
    meta: RequestMeta,
  ): Promise<void> {
    await this.denylist.revokeToken(claims.jti, claims.exp);
    const session = await this.em.findOne(Session, { id: claims.sid, user: claims.sub });
    this.events.stage(this.em, 'user.logged_out', { userId: claims.sub, sessionId: claims.sid });
    if (session && !session.revokedAt) return this.revoke(session, 'logout', meta);
    await this.em.flush();
    await this.denylist.revokeSession(claims.sid);
  }

  /** The caller's live sessions, most recently used first. */
  async list(userId: string, currentSessionId: string) {
    const sessions = await this.em.find(
      Session,
      { user: userId, revokedAt: null, expiresAt: { $gt: new Date() } },
      { orderBy: { lastUsedAt: 'desc' } },
    );
    return sessions.map((s) => ({
      id: s.id,
      device: s.userAgent,
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === currentSessionId,
    }));
  }

  /** Revokes one of the caller's own sessions; someone else's looks exactly like a missing one. */
  async revokeOwn(userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
    const session = await this.em.findOne(Session, { id: sessionId, user: userId, revokedAt: null });
    assertThat(session, () => Errors.notFound('No such session.'));
    await this.revoke(session, 'revoked_by_user', meta);
  }

  /** Audits a failed sign-in; when it locked the identifier, also audits that and mails the owner. */
  private async recordFailure(
    identifier: string,
    user: User | null,
    lockedUntil: Date | null,
    meta: RequestMeta,
  ) {
    const em = this.em.fork();
    const targetId = user?.id ?? null;
    this.events.stage(
      em,
      'log.audit',
      authAudit(meta, { action: 'login.failed', actorId: null, targetId: targetId, after: { identifier } }),
    );
    if (lockedUntil) {
      this.events.stage(em, 'log.audit', {
        ...authAudit(meta, {
          action: 'login.locked',
          actorId: null,
          targetId: targetId,
          after: { identifier },
        }),
        after: { identifier, lockedUntil: lockedUntil.toISOString() },
      });
      if (user) {
        this.events.stage(em, 'email.send', {
          template: 'account_locked',
          to: user.email,
          userId: user.id,
          displayName: user.displayName,
          lockedUntil: lockedUntil.toISOString(),
          ip: meta.ip,
          resetUrl: this.settings.forgotPasswordUrl,
        });
      }
    }
    await em.flush();
  }

  /** Revokes one session; an audit record says why (a reused refresh token is a security event). */
  private async revoke(session: Session, reason: string, meta: RequestMeta): Promise<void> {
    session.revokedAt = new Date();
    session.revokedReason = reason;
    this.events.stage(this.em, 'session.revoked', { userId: session.user.id, sessionId: session.id, reason });
    this.events.stage(this.em, 'log.audit', {
      ...authAudit(meta, {
        action: 'session.revoke',
        actorId: session.user.id,
        targetId: session.user.id,
        after: { identifier: session.user.email },
      }),
      after: { sessionId: session.id, reason },
    });
    await this.em.flush();
    await this.denylist.revokeSession(session.id);
  }

  private issue(session: Session, user: User, now: Date): TokenPair {
    const refreshToken = newRefreshToken();
    this.em.create(RefreshToken, {
      id: randomUUID(),
      session,
      tokenHash: hashRefreshToken(refreshToken),
      createdAt: now,
      expiresAt: session.expiresAt,
      usedAt: null,
    });
    const access = this.tokens.sign({ userId: user.id, role: user.role, sessionId: session.id });
    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      user: toPublicUser(user),
    };
  }

  private sessionExpiry(remember: boolean, from: Date): Date {
    const seconds = remember ? this.settings.rememberTtlSeconds : this.settings.refreshTtlSeconds;
    return new Date(from.getTime() + seconds * 1000);
  }
}
