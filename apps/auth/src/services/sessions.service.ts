import { RefreshToken, Session, type EntityManager } from '@platform/db';
import { AppError, assertThat, auditEntry, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';
import type { RequestMeta } from './accounts.service.js';
import { hashRefreshToken } from './refresh-tokens.js';
import type { SessionIssuer, TokenPair } from './session-issuer.js';

export interface SessionSettings {
  reuseGraceSeconds: number;
}

const invalidRefresh = () => new AppError('invalid_token', 'The refresh token is not valid.');

/** Refresh-token rotation with reuse detection, logout and session management (sign-in: LoginService). */
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly issuer: SessionIssuer,
    private readonly denylist: Denylist,
    private readonly events: EventSink,
    private readonly settings: SessionSettings,
  ) {}

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
    assertThat(!session.revokedAt, () => new AppError('token_revoked', 'This session has been revoked.'));
    assertThat(
      stored.expiresAt > now && session.expiresAt > now,
      () => new AppError('token_expired', 'The refresh token has expired.'),
    );
    const user = session.user;
    if (user.status !== 'active' || user.deletedAt) {
      await this.revoke(session, 'account_inactive', meta);
      throw new AppError('token_revoked', 'This session has been revoked.');
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
          'token_reused',
          'This refresh token was already used; the session has been revoked.',
        );
      }
    }
    session.lastUsedAt = now;
    session.expiresAt = this.issuer.sessionExpiry(session.remember, now);
    const pair = this.issuer.issue(session, user, now);
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

  /** Revokes one session; an audit record says why (a reused refresh token is a security event). */
  private async revoke(session: Session, reason: string, meta: RequestMeta): Promise<void> {
    session.revokedAt = new Date();
    session.revokedReason = reason;
    this.events.stage(this.em, 'session.revoked', { userId: session.user.id, sessionId: session.id, reason });
    this.events.stage(this.em, 'log.audit', {
      ...auditEntry(meta, {
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
}
