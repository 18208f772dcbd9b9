import type { EntityManager } from '@mikro-orm/postgresql';
import { Session } from '../entities/session.entity.js';
import type { EventStager } from './events.js';

/** The identity queries on `sessions`. */
export const sessions = {
  /**
   * Marks every unrevoked session of a user (optionally all but one) revoked in `em`'s unit of work
   * and stages `session.revoked` for each; returns their ids. After the caller's flush commits, it
   * lists them with `Denylist.revokeSessions`, which is what stops access tokens already out there.
   * Expired sessions are included: an access token minted just before expiry outlives its session.
   */
  async revokeAllFor(
    em: EntityManager,
    events: EventStager,
    userId: string,
    reason: string,
    options: { except?: string; now?: Date } = {},
  ): Promise<string[]> {
    const { except, now = new Date() } = options;
    const found = await em.find(Session, {
      user: userId,
      revokedAt: null,
      ...(except ? { id: { $ne: except } } : {}),
    });
    for (const session of found) {
      session.revokedAt = now;
      session.revokedReason = reason;
      events.stage(em, 'session.revoked', { userId, sessionId: session.id, reason });
    }
    return found.map((session) => session.id);
  },

  /** Every session of a user, newest first, revoked ones included (the data export shows them all). */
  listFor(em: EntityManager, userId: string): Promise<Session[]> {
    return em.find(Session, { user: userId }, { orderBy: { createdAt: 'desc' } });
  },
};
