import type { Logger } from 'pino';
import type { RealtimeMetrics } from '../metrics.js';
import type { FrameSender } from '../ws/frame-sender.js';
import { CLOSE_CODES, RECENT_NOTIFICATIONS, type ServerFrame } from '../ws/frames.js';
import type { Socket, SocketRegistry } from '../ws/socket-registry.js';
import type { NotificationsService } from './notifications.service.js';

type NotificationFrame = Extract<ServerFrame, { type: 'notification' }>;

/**
 * Puts notifications on this instance's sockets and records that they arrived. A notification can
 * reach a socket twice, by the replay on connect and by the live fanout racing it; each socket remembers
 * the ids it was sent, so the client sees each once.
 */
export class Delivery {
  constructor(
    private readonly sockets: SocketRegistry,
    private readonly sender: FrameSender,
    private readonly notifications: NotificationsService,
    private readonly metrics: RealtimeMetrics,
    private readonly log: Logger,
  ) {}

  /** Sends a notification to every local socket of its user; marks it delivered if one took it. */
  async toUser(userId: string, frame: NotificationFrame, occurredAt?: string): Promise<number> {
    let delivered = 0;
    for (const socket of this.sockets.ofUser(userId)) {
      if (this.sendOnce(socket, frame)) delivered++;
    }
    if (delivered > 0 && occurredAt) {
      const at = Date.parse(occurredAt);
      this.sender.afterWrite(() => this.metrics.fanoutLatency.observe(Math.max(0, Date.now() - at) / 1000));
    }
    if (delivered > 0) await this.notifications.markDelivered([frame.id]);
    return delivered;
  }

  /** Sends a freshly opened socket what its user has not received yet, oldest first. */
  async replay(socket: Socket): Promise<void> {
    const { userId } = socket.getUserData();
    const pending = await this.notifications.undelivered(userId);
    const sent: string[] = [];
    for (const notification of pending) {
      const frame: NotificationFrame = {
        type: 'notification',
        id: notification.id,
        event: notification.event,
        message: notification.message,
        at: notification.createdAt.toISOString(),
      };
      if (this.sendOnce(socket, frame)) sent.push(notification.id);
    }
    await this.notifications.markDelivered(sent);
    if (sent.length > 0) this.log.debug({ userId, count: sent.length }, 'replayed undelivered notifications');
  }

  /** Closes every local socket of a session (logout, revocation) with 4001. */
  endSession(userId: string, sessionId: string): number {
    const sockets = this.sockets.ofSession(userId, sessionId);
    for (const socket of sockets) {
      if (!socket.getUserData().closed) socket.end(CLOSE_CODES.sessionEnded, 'session ended');
    }
    return sockets.length;
  }

  private sendOnce(socket: Socket, frame: NotificationFrame): boolean {
    const state = socket.getUserData();
    if (state.closed || state.sent?.has(frame.id) === true) return false;
    if (!this.sender.send(socket, frame)) return false;
    const sent = (state.sent ??= new Set());
    sent.add(frame.id);
    if (sent.size > RECENT_NOTIFICATIONS) {
      const oldest = sent.values().next();
      if (!oldest.done) sent.delete(oldest.value);
    }
    return true;
  }
}
