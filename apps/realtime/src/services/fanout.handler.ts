import type { Logger } from 'pino';
import type { MessageHandler } from '@platform/bus';
import { fanoutPayloads, type Envelope, type FanoutPayload, type FanoutType } from '@platform/contracts';
import type { Delivery } from './delivery.js';

function payloadOf<T extends FanoutType>(type: T, envelope: Envelope): FanoutPayload<T> | null {
  const parsed = fanoutPayloads[type].safeParse(envelope.payload);
  return parsed.success ? (parsed.data as FanoutPayload<T>) : null;
}

/**
 * What each instance does with a message from its own queue on the `notifications` fanout: act on its
 * local sockets only. Most messages concern users with no socket here and cost one map lookup.
 */
export function fanoutHandler(deps: { delivery: Delivery; log: Logger }): MessageHandler {
  const { delivery, log } = deps;
  return async (envelope) => {
    switch (envelope.type) {
      case 'notification.created': {
        const payload = payloadOf('notification.created', envelope);
        if (!payload) return log.warn({ id: envelope.id }, 'dropping a malformed notification');
        await delivery.toUser(
          payload.userId,
          {
            type: 'notification',
            id: payload.notificationId,
            event: payload.event,
            message: payload.message,
            at: payload.at,
          },
          envelope.occurredAt,
        );
        return;
      }
      case 'session.ended': {
        const payload = payloadOf('session.ended', envelope);
        if (!payload) return log.warn({ id: envelope.id }, 'dropping a malformed session.ended');
        const closed = delivery.endSession(payload.userId, payload.sessionId);
        if (closed > 0)
          log.info({ sessionId: payload.sessionId, closed }, 'closed the sockets of an ended session');
        return;
      }
      default:
        log.debug({ type: envelope.type }, 'ignoring an unknown fanout message');
    }
  };
}
