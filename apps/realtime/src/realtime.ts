import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import uWS, { type us_listen_socket } from 'uWebSockets.js';
import { Subscriber, type SubscriptionHandle } from '@platform/bus';
import { keyRingOf } from '@platform/config';
import { EXCHANGES } from '@platform/contracts';
import type { BaseResources } from '@platform/runtime';
import { AccessTokens, Denylist, DenylistMirror } from '@platform/tokens';
import { createApp } from './app.js';
import { ChatFanout } from './chat/chat-fanout.js';
import { ChatService } from './chat/chat.service.js';
import { chatFramesHandler } from './chat/frames.handler.js';
import { PresenceWatch } from './chat/presence-watch.js';
import { ChatCommands } from './chat/socket-commands.js';
import type { RealtimeConfig } from './config.js';
import { RealtimeMetrics } from './metrics.js';
import { Authenticator } from './services/authenticator.js';
import { Delivery } from './services/delivery.js';
import { fanoutHandler } from './services/fanout.handler.js';
import { NotificationsService } from './services/notifications.service.js';
import { Presence } from './services/presence.js';
import { USER_EVENTS_QUEUE, USER_EVENT_TYPES, userEventsHandler } from './services/user-events.handler.js';
import { FrameSender } from './ws/frame-sender.js';
import { CLOSE_CODES } from './ws/frames.js';
import { SocketRegistry } from './ws/socket-registry.js';

/** A running socket-tier instance. */
export interface RunningRealtime {
  port: number;
  instanceId: string;
  /** Graceful stop (SIGTERM): stop listening, close sockets with 1001, cancel consumers, clear presence. */
  stop(): Promise<void>;
  /** For tests: die like a killed pod, leaving presence behind for the TTL to clean up. */
  abandon(): Promise<void>;
  /** For tests: the fanout subscription's connection, to simulate its loss. */
  subscriber: Subscriber;
}

/**
 * Starts one instance on `resources` (database pool, bus, registry, logger, opened by the caller, who
 * also closes them after `stop`): its own Redis client, its own fanout queue, the shared user-events
 * queue, the uWS app and the presence refresher.
 */
export async function startRealtime(
  config: RealtimeConfig,
  resources: BaseResources,
): Promise<RunningRealtime> {
  const { log, registry, orm, bus } = resources;
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
  });
  redis.on('error', (error) => log.warn({ err: error }, 'redis error'));
  const tokens = new AccessTokens({
    keys: keyRingOf(config),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const metrics = new RealtimeMetrics(registry);
  const sockets = new SocketRegistry();
  const sender = new FrameSender(metrics, config.WS_MAX_BACKPRESSURE_BYTES, log);
  const notifications = new NotificationsService(orm);
  const fanout = new ChatFanout(bus, log);
  const chat = new ChatService(orm, fanout, {
    maxTextLength: config.CHAT_MAX_TEXT_LENGTH,
    maxGroupMembers: config.CHAT_MAX_GROUP_MEMBERS,
  });
  const delivery = new Delivery(sockets, sender, notifications, metrics, log);
  const presence = new Presence(redis, instanceId, config.PRESENCE_TTL_SECONDS);
  const watch = new PresenceWatch(presence, config.PRESENCE_BROADCAST_LIMIT);
  const announcePresence = (userId: string, online: boolean): void =>
    void watch.audienceFor(userId).then(
      (audience) => fanout.publish(audience, { type: 'presence', userId, online }),
      (error: unknown) => log.warn({ err: error, userId }, 'presence announcement failed'),
    );
  const commands = new ChatCommands({
    chat,
    sender,
    metrics,
    log,
    typingPerSecond: config.CHAT_TYPING_PER_SECOND,
    presence: watch,
  });
  const mirror = new DenylistMirror(redis, log);
  let subscriber: Subscriber;
  try {
    await mirror.start();
    subscriber = await Subscriber.connect({
      url: config.AMQP_URL,
      namespace: config.AMQP_NAMESPACE,
      connectionName: `realtime@${instanceId}`,
      logger: log,
    });
  } catch (error) {
    await mirror.stop();
    redis.disconnect();
    throw error;
  }
  let draining = false;
  let tracksPresence = true;
  const app = createApp({
    authenticator: new Authenticator(tokens, new Denylist(redis, config.ACCESS_TOKEN_TTL_SECONDS), mirror),
    notifications,
    chat,
    metrics,
    sockets,
    sender,
    delivery,
    presence,
    commands,
    announcePresence,
    log,
    allowedOrigins: config.WS_ALLOWED_ORIGINS,
    messagesPerSecond: config.WS_MESSAGES_PER_SECOND,
    typingPerSecond: config.CHAT_TYPING_PER_SECOND,
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    idleTimeoutSeconds: config.WS_IDLE_TIMEOUT_SECONDS,
    maxBackpressureBytes: config.WS_MAX_BACKPRESSURE_BYTES,
    isDraining: () => draining,
    tracksPresence: () => tracksPresence,
    readiness: {
      ...resources.readiness,
      redis: () => redis.ping(),
      subscriber: async () => {
        if (!subscriber.isReady()) throw new Error('fanout subscription not consuming');
      },
    },
  });

  const subscriptions: SubscriptionHandle[] = [];
  let listenSocket: us_listen_socket | false = false;
  const refreshMs = Math.max(250, Math.floor((config.PRESENCE_TTL_SECONDS * 1000) / 3));
  const refresher = setInterval(() => {
    presence.refresh(sockets.users()).then(
      (expired) => expired.forEach((userId) => announcePresence(userId, false)),
      (error: unknown) => log.warn({ err: error }, 'presence refresh failed'),
    );
  }, refreshMs);
  refresher.unref();

  const release = async () => {
    clearInterval(refresher);
    if (listenSocket) uWS.us_listen_socket_close(listenSocket);
    listenSocket = false;
    await Promise.all(subscriptions.map((subscription) => subscription.cancel()));
    await subscriber.close();
    await mirror.stop();
  };
  try {
    subscriptions.push(
      await subscriber.subscribe({ exchange: EXCHANGES.notifications }, fanoutHandler({ delivery, log })),
    );
    subscriptions.push(
      await subscriber.subscribe(
        { exchange: EXCHANGES.chat },
        chatFramesHandler({
          sockets,
          sender,
          chat,
          metrics,
          log,
          publishToTopic: (topic, type, text) => {
            const subscribers = app.numSubscribers(topic);
            if (subscribers === 0) return 0;
            app.publish(topic, text, false);
            metrics.messagesOut.inc({ type }, subscribers);
            return subscribers;
          },
        }),
      ),
    );
    subscriptions.push(
      await subscriber.subscribe(
        { exchange: EXCHANGES.events, queue: USER_EVENTS_QUEUE, patterns: [...USER_EVENT_TYPES] },
        userEventsHandler({ bus, notifications, log }),
      ),
    );
    listenSocket = await new Promise<us_listen_socket | false>((resolve) =>
      app.listen(config.HOST, config.PORT, (socket) => resolve(socket)),
    );
    if (!listenSocket) throw new Error(`cannot listen on ${config.HOST}:${config.PORT}`);
  } catch (error) {
    await release();
    redis.disconnect();
    app.close();
    throw error;
  }
  const port = uWS.us_socket_local_port(listenSocket);
  log.info({ port, instanceId }, 'realtime listening');

  let stopped: Promise<void> | null = null;
  return {
    port,
    instanceId,
    subscriber,
    stop() {
      stopped ??= (async () => {
        draining = true;
        if (listenSocket) uWS.us_listen_socket_close(listenSocket);
        listenSocket = false;
        const users = [...sockets.users().keys()];
        for (const socket of sockets.all()) socket.end(CLOSE_CODES.goingAway, 'server shutting down');
        await release();
        // The close handlers cleared presence already; this catches any update that failed meanwhile.
        await Promise.all(users.map((userId) => presence.sync(userId, 0))).catch((error: unknown) =>
          log.warn({ err: error }, 'presence cleanup failed'),
        );
        await redis.quit().catch(() => redis.disconnect());
        app.close();
      })();
      return stopped;
    },
    abandon() {
      stopped ??= (async () => {
        tracksPresence = false;
        clearInterval(refresher);
        app.close();
        await release();
        redis.disconnect();
      })();
      return stopped;
    },
  };
}
