import { Session, type EntityManager } from '@platform/db';
import type { EventSink } from './outbox/index.js';

/**
 * Marks every unrevoked session of a user (optionally all but one) revoked in `em`'s unit of work and
 * stages `session.revoked` for each; returns their ids. After the caller's flush commits, it lists
 * them with `Denylist.revokeSessions`, which is what stops access tokens already out there. Expired
 * sessions are included: an access token minted just before expiry outlives its session.
 */
export async function revokeSessions(
  em: EntityManager,
  events: EventSink,
  userId: string,
  reason: string,
  options: { except?: string; now?: Date } = {},
): Promise<string[]> {
  const { except, now = new Date() } = options;
  const sessions = await em.find(Session, {
    user: userId,
    revokedAt: null,
    ...(except ? { id: { $ne: except } } : {}),
  });
  for (const session of sessions) {
    session.revokedAt = now;
    session.revokedReason = reason;
    events.stage(em, 'session.revoked', { userId, sessionId: session.id, reason });
  }
  return sessions.map((session) => session.id);
}
