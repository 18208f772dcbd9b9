import type { WebSocket, WebSocketBehavior } from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { Delivery } from '../services/delivery.js';
import type { Presence } from '../services/presence.js';
import { parseClientFrame } from './client-messages.js';
import type { FrameSender } from './frame-sender.js';
import type { SocketData } from './frames.js';
import type { SocketRegistry } from './socket-registry.js';
import { takeToken } from './token-bucket.js';
import { upgradeHandler, type UpgradeDeps } from './upgrade.js';

export interface SocketDeps extends UpgradeDeps {
  sockets: SocketRegistry;
  sender: FrameSender;
  delivery: Delivery;
  presence: Presence;
  /** False once the instance is abandoned (crash simulation): presence is then left as it is. */
  tracksPresence: () => boolean;
  log: Logger;
  maxPayloadBytes: number;
  idleTimeoutSeconds: number;
  maxBackpressureBytes: number;
}

/**
 * The /ws behaviour. Handlers never throw into uWS and never await before touching the socket: async
 * work (presence, replay) runs beside the socket and checks `closed` before writing to it.
 */
export function socketBehavior(deps: SocketDeps): WebSocketBehavior<SocketData> {
  const { sockets, sender, delivery, presence, metrics, log, messagesPerSecond } = deps;
  const syncPresence = (userId: string) => {
    if (!deps.tracksPresence()) return;
    presence
      .sync(userId, sockets.countOf(userId))
      .catch((error: unknown) => log.warn({ err: error, userId }, 'presence update failed'));
  };
  return {
    maxPayloadLength: deps.maxPayloadBytes,
    idleTimeout: deps.idleTimeoutSeconds,
    // uWS drops frames past this; FrameSender closes the socket before that happens.
    maxBackpressure: deps.maxBackpressureBytes * 2,
    sendPingsAutomatically: true,
    upgrade: upgradeHandler(deps),
    open(ws) {
      const { userId } = ws.getUserData();
      log.debug({ userId }, 'socket opened');
      sockets.add(ws);
      metrics.connections.inc();
      syncPresence(userId);
      delivery.replay(ws).catch((error: unknown) => log.warn({ err: error, userId }, 'replay failed'));
    },
    message(ws, data, isBinary) {
      const state = ws.getUserData();
      const now = Date.now();
      if (!takeToken(state.bucket, messagesPerSecond, now)) {
        metrics.messagesIn.inc({ type: 'rate_limited' });
        if (now - state.rateLimitNoticeAt < 1000) return;
        state.rateLimitNoticeAt = now;
        sender.send(ws, { type: 'error', code: 'rate_limited', detail: 'Too many messages; slow down.' });
        return;
      }
      const parsed = parseClientFrame(data, isBinary);
      if (!parsed.ok) {
        metrics.messagesIn.inc({ type: parsed.label });
        sender.send(ws, parsed.error);
        return;
      }
      metrics.messagesIn.inc({ type: parsed.message.type });
      handle(ws, parsed.message.type, sender);
    },
    close(ws, code) {
      const state = ws.getUserData();
      log.debug({ userId: state.userId, code }, 'socket closed');
      state.closed = true;
      sockets.remove(ws);
      metrics.connections.dec();
      syncPresence(state.userId);
    },
  };
}

function handle(ws: WebSocket<SocketData>, type: 'ping', sender: FrameSender): void {
  switch (type) {
    case 'ping':
      sender.send(ws, { type: 'pong' });
  }
}
