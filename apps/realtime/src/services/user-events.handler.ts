import type { Logger } from 'pino';
import { createEnvelope, PermanentFailure, type Bus, type MessageHandler } from '@platform/bus';
import {
  EXCHANGES,
  eventPayloads,
  type Envelope,
  type EventPayload,
  type EventType,
  type FanoutPayload,
  type FanoutType,
} from '@platform/contracts';
import type { NotificationsService } from './notifications.service.js';

/**
 * The durable queue every realtime instance consumes from (competing consumers): each account event is
 * handled once, by whichever instance takes it, and waits in the queue while none is running.
 */
export const USER_EVENTS_QUEUE = 'realtime.user-events';

/** The account events the socket tier reacts to (and worker-media's news for an uploader). */
export const USER_EVENT_TYPES = [
  'user.logged_in',
  'user.logged_out',
  'session.revoked',
  'media.processed',
] as const;

/** Publishes an instruction to every instance over the `notifications` fanout exchange. */
export function publishFanout<T extends FanoutType>(
  bus: Bus,
  type: T,
  payload: FanoutPayload<T>,
): Promise<void> {
  return bus.publish({ exchange: EXCHANGES.notifications, routingKey: '' }, createEnvelope(type, payload));
}

function payloadOf<T extends EventType>(type: T, envelope: Envelope): EventPayload<T> {
  const parsed = eventPayloads[type].safeParse(envelope.payload);
  if (!parsed.success) throw new PermanentFailure(`invalid ${type} payload`);
  return parsed.data as EventPayload<T>;
}

/**
 * Turns account events into work for every instance. One instance stores the welcome (deduplicated
 * by the login event's id) and announces it on the fanout, since the user's sockets may be on any
 * instance. The message is acked only after the announcement is confirmed; if the broker fails in
 * between, the redelivery finds the stored row and announces it again (clients dedupe by id).
 */
export function userEventsHandler(deps: {
  bus: Bus;
  notifications: NotificationsService;
  /** Tells the conversations whose messages carry a processed file (`chat.attachment`). */
  attachments: { attachmentProcessed(mediaId: string): Promise<number> };
  log: Logger;
}): MessageHandler {
  const { bus, notifications, attachments, log } = deps;
  const notify = async (sourceId: string, note: { userId: string; event: string; message: string }) => {
    const stored = await notifications.recordOnce(sourceId, note);
    if (stored.deliveredAt) return;
    await publishFanout(bus, 'notification.created', {
      userId: note.userId,
      notificationId: stored.id,
      event: stored.event,
      message: stored.message,
      at: stored.createdAt.toISOString(),
    });
  };
  return async (envelope) => {
    switch (envelope.type) {
      case 'user.logged_in': {
        const { userId, displayName } = payloadOf('user.logged_in', envelope);
        await notify(envelope.id, { userId, event: 'welcome', message: `Welcome back, ${displayName}!` });
        return;
      }
      case 'media.processed': {
        // `media.ready` / `media.failed`: the uploader's client refreshes its pending uploads.
        // The members of a conversation it was already sent in see it change there.
        const { userId, mediaId, name, status } = payloadOf('media.processed', envelope);
        const message = status === 'ready' ? `"${name}" is ready.` : `"${name}" could not be processed.`;
        await notify(envelope.id, { userId, event: `media.${status}`, message });
        await attachments.attachmentProcessed(mediaId);
        return;
      }
      case 'user.logged_out':
      case 'session.revoked': {
        const { userId, sessionId } = payloadOf(envelope.type, envelope);
        const reason = envelope.type === 'user.logged_out' ? 'logout' : 'revoked';
        await publishFanout(bus, 'session.ended', { userId, sessionId, reason });
        return;
      }
      default:
        log.debug({ type: envelope.type }, 'ignoring an event the socket tier does not handle');
    }
  };
}
