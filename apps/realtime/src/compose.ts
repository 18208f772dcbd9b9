import type { TemplatedApp } from 'uWebSockets.js';
import { mediaUrlSignerOf } from '@platform/config';
import { OutboxRelay, outboxEventSink, type ChangeSource, type TokenResources } from '@platform/runtime';
import { createApp } from './app.js';
import { ChatArchiver } from './chat/chat-archiver.js';
import { ChatFanout } from './chat/chat-fanout.js';
import { ChatService } from './chat/chat.service.js';
import { chatFramesHandler } from './chat/frames.handler.js';
import { afinnSentiment, obscenityScreen } from './chat/moderation/content-screen.js';
import type { AuditRecorder } from './chat/moderation/review-queue.js';
import { extractiveSummary } from './chat/moderation/summary.js';
import { PresenceWatch } from './chat/presence-watch.js';
import { RecentCache } from './chat/recent-cache.js';
import { ChatCommands } from './chat/socket-commands.js';
import type { RealtimeConfig } from './config.js';
import { RealtimeMetrics } from './metrics.js';
import { Authenticator } from './services/authenticator.js';
import { Delivery } from './services/delivery.js';
import { fanoutHandler } from './services/fanout.handler.js';
import { NotificationsService } from './services/notifications.service.js';
import { Presence } from './services/presence.js';
import { userEventsHandler } from './services/user-events.handler.js';
import { createUserDirectory } from './users/users-backend.js';
import { FrameSender } from './ws/frame-sender.js';
import { SocketRegistry } from './ws/socket-registry.js';

/** What the lifecycle tells the parts while it runs them. */
export interface InstanceState {
  instanceId: string;
  draining: boolean;
  /** False once the instance is abandoned: a killed pod leaves its presence for the TTL. */
  tracksPresence: boolean;
  /** Whether the fanout subscription is consuming (the lifecycle owns the subscriber). */
  subscriberReady(): boolean;
}

/** One instance's parts, wired but not started: nothing listens, subscribes or refreshes yet. */
export interface RealtimeParts {
  app: TemplatedApp;
  metrics: RealtimeMetrics;
  /** Writes every frame; flushed at shutdown so that a write-coalescing window loses nothing. */
  sender: FrameSender;
  sockets: SocketRegistry;
  presence: Presence;
  /** Publishes what realtime writes to the outbox (audit records of moderation and admin deletes). */
  relay: OutboxRelay;
  /** Moves old messages to the archive every CHAT_ARCHIVE_INTERVAL_MINUTES. */
  archiver: ChatArchiver;
  announcePresence(userId: string, online: boolean): void;
  /** What the gRPC port serves from (the same instances the socket and REST use). */
  services: { chat: ChatService; notifications: NotificationsService; presence: Presence };
  handlers: {
    fanout: ReturnType<typeof fanoutHandler>;
    chatFrames: ReturnType<typeof chatFramesHandler>;
    userEvents: ReturnType<typeof userEventsHandler>;
  };
}

/**
 * Composition: builds one instance's services, the uWS app and the bus handlers from opened
 * resources. No side effects, so the lifecycle (realtime.ts) decides what starts when.
 */
export function composeRealtime(
  config: RealtimeConfig,
  resources: TokenResources,
  state: InstanceState,
  /** The account events this instance hears (its `UserChangeFeed`), which clear its cached accounts. */
  userChanges: ChangeSource,
): RealtimeParts {
  const { log, registry, orm, bus, redis, tokens, denylist } = resources;
  const metrics = new RealtimeMetrics(registry);
  const sockets = new SocketRegistry();
  // The app is built below with the sender among its deps; topics are reached through it once it exists.
  const topics = {
    publish: (topic: string, text: string) => void app.publish(topic, text, false),
    subscribers: (topic: string) => app.numSubscribers(topic),
  };
  const sender = new FrameSender(metrics, config.WS_MAX_BACKPRESSURE_BYTES, log, {
    coalesceMs: config.WS_COALESCE_MS,
    topics,
  });
  const notifications = new NotificationsService(orm);
  const fanout = new ChatFanout(bus, log);
  const relay = new OutboxRelay({ orm, bus, log, registry });
  const events = outboxEventSink(null);
  const audit: AuditRecorder = async (entry, trx) => {
    // The chat's writes run in Knex transactions; the outbox row joins the caller's (a savepoint in it).
    const em = orm.em.fork();
    em.setTransactionContext(trx);
    events.stage(em, 'log.audit', entry);
    await em.flush();
    trx.executionPromise.then(
      () => relay.kick(),
      () => undefined, // rolled back: nothing to publish
    );
  };
  const recent = new RecentCache(redis, log, (result) => metrics.chatRecentCache.inc({ result }));
  const chat = new ChatService(
    orm,
    fanout,
    {
      maxTextLength: config.CHAT_MAX_TEXT_LENGTH,
      maxGroupMembers: config.CHAT_MAX_GROUP_MEMBERS,
      mediaUrls: mediaUrlSignerOf(config),
    },
    {
      // The one provider of each kind today (docs/architecture.md says how another one plugs in).
      screen: obscenityScreen(),
      sentiment: afinnSentiment(),
      summaries: extractiveSummary(),
      defaultAction: config.CHAT_MODERATION_ACTION,
      audit,
      observe: ({ action, score }) => {
        metrics.chatModeration.inc({ action });
        metrics.chatSentiment.observe(score);
      },
    },
    createUserDirectory(config, registry, log, userChanges),
    recent,
  );
  const delivery = new Delivery(sockets, sender, notifications, metrics, log);
  const presence = new Presence(redis, state.instanceId, config.PRESENCE_TTL_SECONDS);
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
  const app = createApp({
    authenticator: new Authenticator(tokens, denylist),
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
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    idleTimeoutSeconds: config.WS_IDLE_TIMEOUT_SECONDS,
    maxBackpressureBytes: config.WS_MAX_BACKPRESSURE_BYTES,
    isDraining: () => state.draining,
    tracksPresence: () => state.tracksPresence,
    readiness: {
      ...resources.readiness,
      subscriber: async () => {
        if (!state.subscriberReady()) throw new Error('fanout subscription not consuming');
      },
    },
  });
  const handlers = {
    fanout: fanoutHandler({ delivery, log }),
    chatFrames: chatFramesHandler({
      sockets,
      sender,
      chat,
      metrics,
      log,
      publishToTopic: (topic, type, text) => sender.publish(topic, type, text),
    }),
    userEvents: userEventsHandler({ bus, notifications, attachments: chat, log }),
  };
  const archiver = new ChatArchiver(
    () => orm.em.getKnex(),
    {
      afterDays: config.CHAT_ARCHIVE_AFTER_DAYS,
      batchSize: config.CHAT_ARCHIVE_BATCH_SIZE,
      intervalMinutes: config.CHAT_ARCHIVE_INTERVAL_MINUTES,
    },
    log,
    metrics.chatArchived,
    (conversationIds) => recent.invalidate(conversationIds),
  );
  const services = { chat, notifications, presence };
  return {
    app,
    metrics,
    sender,
    sockets,
    presence,
    relay,
    archiver,
    announcePresence,
    services,
    handlers,
  };
}
