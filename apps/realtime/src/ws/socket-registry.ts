import type { WebSocket } from 'uWebSockets.js';
import type { SocketData } from './frames.js';

/** The parts of a uWS socket the service uses; narrow so unit tests can pass a fake. */
export type Socket = Pick<
  WebSocket<SocketData>,
  'send' | 'getBufferedAmount' | 'end' | 'cork' | 'getUserData'
>;

/**
 * This instance's open sockets, indexed by user and by session: the fanout handler reaches a user's
 * sockets, a session's sockets (to close them) and the presence refresher the local users, all in O(1).
 */
export class SocketRegistry {
  private readonly byUser = new Map<string, Set<Socket>>();
  private readonly bySession = new Map<string, Set<Socket>>();

  /** Adds a socket; returns how many sockets its user now has on this instance. */
  add(socket: Socket): number {
    const { userId, sessionId } = socket.getUserData();
    addTo(this.bySession, sessionId, socket);
    return addTo(this.byUser, userId, socket);
  }

  /** Removes a socket; returns how many sockets its user still has on this instance. */
  remove(socket: Socket): number {
    const { userId, sessionId } = socket.getUserData();
    removeFrom(this.bySession, sessionId, socket);
    return removeFrom(this.byUser, userId, socket);
  }

  ofUser(userId: string): Socket[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  ofSession(sessionId: string): Socket[] {
    return [...(this.bySession.get(sessionId) ?? [])];
  }

  countOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Users with at least one socket here, with their socket counts. */
  users(): Map<string, number> {
    return new Map([...this.byUser].map(([userId, sockets]) => [userId, sockets.size]));
  }

  all(): Socket[] {
    return [...this.byUser.values()].flatMap((sockets) => [...sockets]);
  }

  get size(): number {
    let total = 0;
    for (const sockets of this.byUser.values()) total += sockets.size;
    return total;
  }
}

function addTo(index: Map<string, Set<Socket>>, key: string, socket: Socket): number {
  const sockets = index.get(key) ?? new Set<Socket>();
  sockets.add(socket);
  index.set(key, sockets);
  return sockets.size;
}

function removeFrom(index: Map<string, Set<Socket>>, key: string, socket: Socket): number {
  const sockets = index.get(key);
  if (!sockets) return 0;
  sockets.delete(socket);
  if (sockets.size === 0) index.delete(key);
  return sockets.size;
}
