import type { Logger } from 'pino';
import type { MessageHandler } from '@platform/bus';
import { fanoutPayloads, type ChatFramePayload } from '@platform/contracts';
import type { RealtimeMetrics } from '../metrics.js';
import type { FrameSender } from '../ws/frame-sender.js';
import { TOPICS } from '../ws/frames.js';
import type { SocketRegistry } from '../ws/socket-registry.js';
import type { ChatService } from './chat.service.js';

export interface ChatFramesDeps {
  sockets: SocketRegistry;
  sender: FrameSender;
  chat: ChatService;
  metrics: RealtimeMetrics;
  log: Logger;
  /**
   * Writes a serialised frame to every socket of this instance subscribed to a uWS topic (`everyone`,
   * or a user's `presence:<id>`); returns how many sockets that was.
   */
  publishToTopic: (topic: string, type: string, text: string) => number;
}

/** The fields a delivered receipt needs, read from a `chat.message` frame. */
function deliveredRef(frame: ChatFramePayload['frame']) {
  const { id, conversationId, seq, from } = frame;
  if (typeof id !== 'string' || typeof conversationId !== 'string') return null;
  if (typeof seq !== 'number' || typeof from !== 'string') return null;
  return { id, conversationId, seq, from };
}

/**
 * What each instance does with a `chat.frame` from its own queue on the `chat` fanout exchange: writes
 * the frame, serialised once, to its local sockets in the audience. For everyone that is one uWS topic
 * publish (the C++ loop writes the same bytes to every subscribed socket); for a list of users, one
 * map lookup per user. Writing happens before the first await, so frames leave in the order they
 * arrived. Then, for direct and group messages, the deliveries to the users reached here are recorded
 * (one batched update; a `delivered` receipt to the author for each user recorded first) without
 * holding up the ack: the frames are out, and a lost record only leaves a receipt unsent.
 */
export function chatFramesHandler(deps: ChatFramesDeps): MessageHandler {
  const { sockets, sender, chat, metrics, log, publishToTopic } = deps;
  return async (envelope) => {
    if (envelope.type !== 'chat.frame') {
      return log.debug({ type: envelope.type }, 'ignoring an unknown chat fanout message');
    }
    const parsed = fanoutPayloads['chat.frame'].safeParse(envelope.payload);
    if (!parsed.success) return log.warn({ id: envelope.id }, 'dropping a malformed chat frame');
    const { audience, frame } = parsed.data;
    const text = JSON.stringify(frame);
    const latency = () =>
      metrics.fanoutLatency.observe(Math.max(0, Date.now() - Date.parse(envelope.occurredAt)) / 1000);
    if (audience.scope !== 'users') {
      const topic = audience.scope === 'all' ? TOPICS.everyone : TOPICS.presenceOf(audience.userId);
      if (publishToTopic(topic, frame.type, text) > 0) sender.afterWrite(latency);
      return;
    }
    const reached: string[] = [];
    for (const userId of audience.userIds) {
      let delivered = false;
      for (const socket of sockets.ofUser(userId))
        delivered = sender.sendText(socket, frame.type, text) || delivered;
      if (delivered) reached.push(userId);
    }
    if (reached.length === 0) return;
    sender.afterWrite(latency);
    const message = frame.type === 'chat.message' ? deliveredRef(frame) : null;
    if (!message) return;
    chat
      .markDelivered(reached, message)
      .catch((error: unknown) =>
        log.warn({ err: error, messageId: message.id }, 'could not record a delivery'),
      );
  };
}
