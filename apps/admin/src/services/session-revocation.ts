import { Session, type EntityManager, type User } from '@platform/db';
import type { EventSink } from '@platform/runtime';

/**
 * Marks every unrevoked session of `user` revoked in `tx` and stages `session.revoked` for each;
 * returns their ids. The caller lists them on the denylist once `tx` has committed, which is what
 * stops access tokens that are already out there.
 */
export async function revokeSessions(
  tx: EntityManager,
  events: EventSink,
  user: User,
  reason: string,
  now = new Date(),
): Promise<string[]> {
  // Expired sessions are included: an access token minted just before expiry outlives its session.
  const sessions = await tx.find(Session, { user: user.id, revokedAt: null });
  for (const session of sessions) {
    session.revokedAt = now;
    session.revokedReason = reason;
    events.stage(tx, 'session.revoked', { userId: user.id, sessionId: session.id, reason });
  }
  return sessions.map((session) => session.id);
}
