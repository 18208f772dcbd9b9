import type { Logger } from 'pino';
import { createEnvelope, type Bus } from '@platform/bus';
import { EXCHANGES, type Audience } from '@platform/contracts';
import type { ServerFrame } from '../ws/frames.js';

/**
 * Announces chat and presence frames to every instance over the `chat` fanout exchange (`chat.frame`);
 * each instance writes them to its local sockets in the audience. Nothing awaits the broker: the state
 * behind a frame is already committed, and a client that misses a frame (broker down, socket closed)
 * catches up by sequence number (`chat.sync`) or from the connect snapshot. Failures are logged.
 */
export class ChatFanout {
  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {}

  /** Publishes `frame` for `audience`. Ephemeral frames (typing) are shed first under pressure. */
  publish(audience: Audience, frame: ServerFrame, options: { ephemeral?: boolean } = {}): void {
    const envelope = createEnvelope('chat.frame', { audience, frame });
    this.bus
      .publish({ exchange: EXCHANGES.chat, routingKey: '' }, envelope, {
        bestEffort: options.ephemeral === true,
      })
      .catch((error: unknown) =>
        this.log.warn({ err: error, type: frame.type }, 'could not announce a chat frame'),
      );
  }
}
