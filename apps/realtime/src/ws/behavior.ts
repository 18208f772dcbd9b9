import type { Logger } from 'pino';
import type { WebSocketBehavior } from 'uWebSockets.js';
import type { ChatCommands } from '../chat/socket-commands.js';
import type { Delivery } from '../services/delivery.js';
import type { Presence } from '../services/presence.js';
import { parseClientFrame } from './client-messages.js';
import type { FrameSender } from './frame-sender.js';
import { TOPICS, type SocketData } from './frames.js';
import type { SocketRegistry } from './socket-registry.js';
import { fullBucket, takeToken } from './token-bucket.js';
import { upgradeHandler, type UpgradeDeps } from './upgrade.js';

export interface SocketDeps extends UpgradeDeps {
  sockets: SocketRegistry;
  sender: FrameSender;
  delivery: Delivery;
  presence: Presence;
  commands: ChatCommands;
  /** Tells every instance's sockets that a user came online or went offline (first socket / last one). */
  announcePresence: (userId: string, online: boolean) => void;
  /** False once the instance is abandoned (crash simulation): presence is then left as it is. */
  tracksPresence: () => boolean;
  log: Logger;
  /** Client frames per second per socket (WS_MESSAGES_PER_SECOND). */
  messagesPerSecond: number;
  maxPayloadBytes: number;
  idleTimeoutSeconds: number;
  maxBackpressureBytes: number;
}

/**
 * The /ws behaviour. Handlers never throw into uWS and never await before touching the socket: async
 * work (presence, replay) runs beside the socket and checks `closed` before writing to it.
 */
export function socketBehavior(deps: SocketDeps): WebSocketBehavior<SocketData> {
  const { sockets, sender, delivery, presence, commands, metrics, log, messagesPerSecond } = deps;
  const syncPresence = (userId: string) => {
    if (!deps.tracksPresence()) return;
    presence.sync(userId, sockets.countOf(userId)).then(
      (change) => {
        if (change.wentOnline) deps.announcePresence(userId, true);
        if (change.wentOffline) deps.announcePresence(userId, false);
      },
      (error: unknown) => log.warn({ err: error, userId }, 'presence update failed'),
    );
  };
  return {
    maxPayloadLength: deps.maxPayloadBytes,
    idleTimeout: deps.idleTimeoutSeconds,
    // Sends past this are dropped by uWS and topic publishes skip the socket; either way the socket is
    // then closed as a slow consumer (FrameSender, and `dropped` below).
    maxBackpressure: deps.maxBackpressureBytes,
    sendPingsAutomatically: true,
    upgrade: upgradeHandler(deps),
    open(ws) {
      const { userId } = ws.getUserData();
      log.debug({ userId }, 'socket opened');
      sockets.add(ws);
      ws.subscribe(TOPICS.everyone);
      metrics.connections.inc();
      syncPresence(userId);
      delivery.replay(ws).catch((error: unknown) => log.warn({ err: error, userId }, 'replay failed'));
      commands.snapshot(ws);
    },
    dropped(ws) {
      sender.dropSlowConsumer(ws, { deferred: true });
    },
    message(ws, data, isBinary) {
      const state = ws.getUserData();
      const now = Date.now();
      state.bucket ??= fullBucket(messagesPerSecond, now);
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
      const { message: frame } = parsed;
      metrics.messagesIn.inc({ type: frame.type });
      if (frame.type === 'ping') sender.send(ws, { type: 'pong' });
      else commands.handle(ws, frame);
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
