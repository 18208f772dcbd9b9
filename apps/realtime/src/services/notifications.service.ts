import { randomUUID } from 'node:crypto';
import { Notification, UniqueConstraintViolationException, type MikroORM } from '@platform/db';

/** A notification as clients see it (REST list and `notification` frames). */
export interface NotificationView {
  id: string;
  event: string;
  message: string;
  at: string;
  read: boolean;
}

export function toView(notification: Notification): NotificationView {
  return {
    id: notification.id,
    event: notification.event,
    message: notification.message,
    at: notification.createdAt.toISOString(),
    read: notification.readAt !== null,
  };
}

/** Stored notifications: one per causing event, delivered once to some socket, read by their owner. */
export class NotificationsService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Stores the notification caused by event `sourceMessageId`, or returns the one already stored for
   * it: the broker delivers at least once, and a redelivered login must not greet twice.
   */
  async recordOnce(
    sourceMessageId: string,
    fields: { userId: string; event: string; message: string },
  ): Promise<Notification> {
    const em = this.orm.em.fork();
    const notification = em.create(Notification, {
      id: randomUUID(),
      ...fields,
      sourceMessageId,
      createdAt: new Date(),
      deliveredAt: null,
      readAt: null,
    });
    try {
      await em.flush();
      return notification;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      return this.orm.em.fork().findOneOrFail(Notification, { sourceMessageId });
    }
  }

  /** The newest `limit` notifications of a user, newest first. */
  listRecent(userId: string, limit = 50): Promise<Notification[]> {
    return this.orm.em
      .fork()
      .find(Notification, { userId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  /** Notifications no socket has received yet, oldest first: what a connecting socket is sent. */
  undelivered(userId: string, limit = 100): Promise<Notification[]> {
    return this.orm.em
      .fork()
      .find(Notification, { userId, deliveredAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
  }

  /** Marks notifications delivered (first delivery wins; later ones leave the time alone). */
  async markDelivered(ids: readonly string[], at = new Date()): Promise<void> {
    if (ids.length === 0) return;
    await this.orm.em
      .fork()
      .nativeUpdate(Notification, { id: { $in: [...ids] }, deliveredAt: null }, { deliveredAt: at });
  }

  /** Marks one of the user's own notifications read; false when it is not theirs or does not exist. */
  async markRead(userId: string, id: string, at = new Date()): Promise<boolean> {
    const em = this.orm.em.fork();
    const notification = await em.findOne(Notification, { id, userId });
    if (!notification) return false;
    notification.readAt ??= at;
    await em.flush();
    return true;
  }
}
