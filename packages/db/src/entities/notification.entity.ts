import { EntitySchema } from '@mikro-orm/core';

/**
 * Something the realtime tier tells a user over their sockets (`notification { id, event, message, at }`).
 * Stored so a user who is offline gets it on their next connect (`deliveredAt` null until a socket got
 * it) and can list it later. `sourceMessageId` is the id of the event envelope that caused it: unique,
 * so a redelivered event never creates a second notification. The user is a plain column (not a
 * relation): the socket tier reads and writes notifications without ever loading users.
 */
export class Notification {
  id!: string;
  userId!: string;
  event!: string;
  message!: string;
  sourceMessageId!: string | null;
  createdAt!: Date;
  deliveredAt!: Date | null;
  readAt!: Date | null;
}

export const NotificationSchema = new EntitySchema<Notification>({
  class: Notification,
  tableName: 'notifications',
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid' },
    event: { type: 'text' },
    message: { type: 'text' },
    sourceMessageId: { type: 'uuid', nullable: true, unique: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    deliveredAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    readAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
