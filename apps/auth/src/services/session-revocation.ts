import { Session, type EntityManager } from '@platform/db';
import type { EventSink } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';

/**
 * Ends every live session of a user (optionally but one): marks them revoked in `em`'s unit of work
 * with a `session.revoked` event each, and returns a function to call after the caller's flush
 * committed, which lists them in the denylist so their access tokens stop at once.
 */
export async function revokeSessions(
  em: EntityManager,
  events: EventSink,
  denylist: Denylist,
  userId: string,
  reason: string,
  except?: string,
): Promise<() => Promise<void>> {
  const sessions = await em.find(Session, {
    user: userId,
    revokedAt: null,
    ...(except ? { id: { $ne: except } } : {}),
  });
  const now = new Date();
  for (const session of sessions) {
    session.revokedAt = now;
    session.revokedReason = reason;
    events.stage(em, 'session.revoked', { userId, sessionId: session.id, reason });
  }
  return async () => {
    await Promise.all(sessions.map((session) => denylist.revokeSession(session.id)));
  };
}
