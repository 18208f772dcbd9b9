import type { WebSocket } from 'uWebSockets.js';
import type { Audience } from '@platform/contracts';
import type { Presence } from '../services/presence.js';
import { MAX_WATCHED, TOPICS, type SocketData } from '../ws/frames.js';
import type { Socket } from '../ws/socket-registry.js';

/** A socket that can join and leave uWS topics. */
export type WatchingSocket = Socket & Pick<WebSocket<SocketData>, 'subscribe' | 'unsubscribe'>;

/** Online users the connect snapshot lists at most, while presence goes to everyone. */
const SNAPSHOT_ONLINE = 1000;

/**
 * Who hears about whose presence. While at most PRESENCE_BROADCAST_LIMIT users are online, a change
 * goes to every socket (a chat room where everyone sees everyone). Above it, broadcasting would cost
 * every reconnect storm N² frames, so a change goes only to the sockets watching that user: each
 * socket watches its chat contacts from the moment it connects, and whoever it asks for with
 * `presence.subscribe` (uWS topics `presence:<id>`, at most MAX_WATCHED per socket).
 */
export class PresenceWatch {
  constructor(
    private readonly presence: Presence,
    private readonly broadcastLimit: number,
  ) {}

  /** Where a change of `userId`'s presence goes now. */
  async audienceFor(userId: string): Promise<Audience> {
    return (await this.broadcasting()) ? { scope: 'all' } : { scope: 'watchers', userId };
  }

  /** Whether presence goes to everyone now: few enough users online (a limit of 0 never broadcasts). */
  private async broadcasting(): Promise<boolean> {
    if (this.broadcastLimit === 0) return false;
    return (await this.presence.onlineCount()) <= this.broadcastLimit;
  }

  /** Starts watching these users (not the socket's own); returns the ones added, within MAX_WATCHED. */
  watch(socket: WatchingSocket, userIds: readonly string[]): { added: string[]; full: boolean } {
    const state = socket.getUserData();
    const added: string[] = [];
    if (state.closed) return { added, full: false };
    for (const userId of userIds) {
      if (userId === state.userId || state.watching?.has(userId) === true) continue;
      const watching = (state.watching ??= new Set());
      if (watching.size >= MAX_WATCHED) return { added, full: true };
      socket.subscribe(TOPICS.presenceOf(userId));
      watching.add(userId);
      added.push(userId);
    }
    return { added, full: false };
  }

  unwatch(socket: WatchingSocket, userIds: readonly string[]): void {
    const state = socket.getUserData();
    if (state.closed) return;
    for (const userId of userIds) {
      if (state.watching?.delete(userId) === true) socket.unsubscribe(TOPICS.presenceOf(userId));
    }
  }

  /** The online ones among `userIds`, in their order. */
  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    const statuses = await this.presence.statuses(userIds);
    return new Set(userIds.filter((_, index) => statuses[index] === true));
  }

  /** Who the connect snapshot lists as online: everyone (up to 1000) while broadcasting, else the watched. */
  async onlineFor(socket: WatchingSocket): Promise<string[]> {
    if (await this.broadcasting()) return this.presence.online(SNAPSHOT_ONLINE);
    return [...(await this.onlineAmong([...(socket.getUserData().watching ?? [])]))];
  }
}
