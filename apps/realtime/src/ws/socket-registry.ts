import type { WebSocket } from 'uWebSockets.js';
import type { SocketData } from './frames.js';

/** The parts of a uWS socket the service uses; narrow so unit tests can pass a fake. */
export type Socket = Pick<
  WebSocket<SocketData>,
  'send' | 'getBufferedAmount' | 'end' | 'cork' | 'getUserData'
>;

/** A key's sockets: the socket itself while it is the only one (most users, every session), else a Set. */
type Held = Socket | Set<Socket>;

/**
 * This instance's open sockets, indexed by user: the fanout handler reaches a user's sockets and the
 * presence refresher the local users in O(1). A user with one socket holds it directly: a Set per user
 * would cost ~160 bytes a socket, at 10 000 idle sockets a good part of what the JavaScript side keeps
 * for them. A session's sockets are found among its user's (a handful at most), so sessions need no
 * index of their own (another Map entry per socket).
 */
export class SocketRegistry {
  private readonly byUser = new Map<string, Held>();
  private count = 0;

  /** Adds a socket; returns how many sockets its user now has on this instance. */
  add(socket: Socket): number {
    const { userId } = socket.getUserData();
    const before = sizeOf(this.byUser.get(userId));
    addTo(this.byUser, userId, socket);
    const after = sizeOf(this.byUser.get(userId));
    this.count += after - before;
    return after;
  }

  /** Removes a socket; returns how many sockets its user still has on this instance. */
  remove(socket: Socket): number {
    const { userId } = socket.getUserData();
    const before = sizeOf(this.byUser.get(userId));
    removeFrom(this.byUser, userId, socket);
    const after = sizeOf(this.byUser.get(userId));
    this.count -= before - after;
    return after;
  }

  ofUser(userId: string): Socket[] {
    return listOf(this.byUser.get(userId));
  }

  /** One session's sockets (every session belongs to one user). */
  ofSession(userId: string, sessionId: string): Socket[] {
    return this.ofUser(userId).filter((socket) => socket.getUserData().sessionId === sessionId);
  }

  countOf(userId: string): number {
    return sizeOf(this.byUser.get(userId));
  }

  /** Users with at least one socket here: what the presence refresher walks, a chunk at a time. */
  userIds(): string[] {
    return [...this.byUser.keys()];
  }

  all(): Socket[] {
    return [...this.byUser.values()].flatMap(listOf);
  }

  get size(): number {
    return this.count;
  }
}

function sizeOf(held: Held | undefined): number {
  if (held === undefined) return 0;
  return held instanceof Set ? held.size : 1;
}

function listOf(held: Held | undefined): Socket[] {
  if (held === undefined) return [];
  return held instanceof Set ? [...held] : [held];
}

function addTo(index: Map<string, Held>, key: string, socket: Socket): void {
  const held = index.get(key);
  if (held === undefined) index.set(key, socket);
  else if (held instanceof Set) held.add(socket);
  else if (held !== socket) index.set(key, new Set([held, socket]));
}

function removeFrom(index: Map<string, Held>, key: string, socket: Socket): void {
  const held = index.get(key);
  if (held === socket) index.delete(key);
  else if (held instanceof Set) {
    held.delete(socket);
    if (held.size > 1) return;
    const [only] = held;
    if (only) index.set(key, only);
    else index.delete(key);
  }
}
