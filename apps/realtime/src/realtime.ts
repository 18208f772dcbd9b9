import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import uWS, { type us_listen_socket } from 'uWebSockets.js';
import { Subscriber, type SubscriptionHandle } from '@platform/bus';
import { EXCHANGES } from '@platform/contracts';
import type { GrpcServer } from '@platform/grpc';
import { RealtimeService } from '@platform/proto';
import { startServiceGrpc, UserChangeFeed, type TokenResources } from '@platform/runtime';
import { composeRealtime, type InstanceState, type RealtimeParts } from './compose.js';
import type { RealtimeConfig } from './config.js';
import { realtimeGrpcRoutes } from './grpc/realtime.grpc.js';
import { sampleEventLoopLag } from './loop-lag.js';
import { USER_EVENTS_QUEUE, USER_EVENT_TYPES } from './services/user-events.handler.js';
import { CLOSE_CODES } from './ws/frames.js';

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
  /** The gRPC port (RealtimeService and health), beside the uWS port. */
  grpcPort: number;
  /** For tests and operators' scripts: run an archive pass now. */
  archiveNow(now?: Date): Promise<number>;
}

/**
 * Lifecycle of one instance on `resources` (database pool, bus, Redis, tokens, opened by the caller,
 * who also closes them after `stop`, the denylist mirror included): its own fanout queue, the shared
 * user-events queue and its account-change feed on a subscriber connection of its own, the listen
 * socket and the presence refresher.
 */
export async function startRealtime(
  config: RealtimeConfig,
  resources: TokenResources,
): Promise<RunningRealtime> {
  const { log } = resources;
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connected = await Subscriber.connect({
    url: config.AMQP_URL,
    namespace: config.AMQP_NAMESPACE,
    connectionName: `realtime@${instanceId}`,
    logger: log,
  });
  let userChanges: UserChangeFeed;
  try {
    // Before anything can ask for an account: the cached answers must hear every change from the start.
    userChanges = await UserChangeFeed.attach(connected);
  } catch (error) {
    await connected.close();
    throw error;
  }
  const state: InstanceState = {
    instanceId,
    draining: false,
    tracksPresence: true,
    subscriberReady: () => connected.isReady(),
  };
  let parts: RealtimeParts;
  try {
    parts = composeRealtime(config, resources, state, userChanges);
  } catch (error) {
    await userChanges.close();
    await connected.close();
    throw error;
  }
  const { app, metrics, sender, sockets, presence, relay, archiver, announcePresence, handlers } = parts;

  const subscriptions: SubscriptionHandle[] = [];
  let listenSocket: us_listen_socket | false = false;
  let grpc: GrpcServer | undefined;
  const refreshMs = Math.max(250, Math.floor((config.PRESENCE_TTL_SECONDS * 1000) / 3));
  // Each refresh spreads its chunks over half the period: a user is renewed at most 1.5 periods (half
  // the TTL) after the last time, well before expiring, and the loop never gets them in one burst.
  const stopRefreshes = new AbortController();
  let refreshing: Promise<void> | undefined;
  const refresher = setInterval(() => {
    // The last one is still going (Redis slow): it renews everyone anyway. A user then waits at most
    // 2.5 periods (5/6 of the TTL) between renewals.
    if (refreshing) return;
    refreshing = presence
      .refresh(sockets.userIds(), (userId) => sockets.countOf(userId), {
        spreadMs: refreshMs / 2,
        signal: stopRefreshes.signal,
        onRedisSeconds: (seconds) => metrics.presenceRefresh.observe(seconds),
      })
      .then(
        (expired) => expired.forEach((userId) => announcePresence(userId, false)),
        (error: unknown) => {
          if (!stopRefreshes.signal.aborted) log.warn({ err: error }, 'presence refresh failed');
        },
      )
      .finally(() => (refreshing = undefined));
  }, refreshMs);
  refresher.unref();
  const stopLagSampler = sampleEventLoopLag(metrics.eventLoopLag);

  relay.start();
  archiver.start();
  const release = async () => {
    clearInterval(refresher);
    stopRefreshes.abort();
    await refreshing; // a script in flight finishes; nothing is announced after the abort
    stopLagSampler();
    await grpc?.stop();
    grpc = undefined;
    await archiver.stop();
    await relay.stop();
    if (listenSocket) uWS.us_listen_socket_close(listenSocket);
    listenSocket = false;
    await Promise.all(subscriptions.map((subscription) => subscription.cancel()));
    await userChanges.close();
    await connected.close();
  };
  try {
    subscriptions.push(await connected.subscribe({ exchange: EXCHANGES.notifications }, handlers.fanout));
    subscriptions.push(await connected.subscribe({ exchange: EXCHANGES.chat }, handlers.chatFrames));
    subscriptions.push(
      await connected.subscribe(
        { exchange: EXCHANGES.events, queue: USER_EVENTS_QUEUE, patterns: [...USER_EVENT_TYPES] },
        handlers.userEvents,
      ),
    );
    listenSocket = await new Promise<us_listen_socket | false>((resolve) =>
      app.listen(config.HOST, config.PORT, (socket) => resolve(socket)),
    );
    if (!listenSocket) throw new Error(`cannot listen on ${config.HOST}:${config.PORT}`);
    // uWS speaks no HTTP/2: gRPC gets its own Node listener, health tied to the same readiness.
    grpc = await startServiceGrpc(resources, config, {
      services: [RealtimeService.typeName],
      register: realtimeGrpcRoutes(parts.services),
    });
  } catch (error) {
    await release();
    app.close();
    throw error;
  }
  const port = uWS.us_socket_local_port(listenSocket);
  const grpcPort = grpc.port;
  log.info({ port, grpcPort, instanceId }, 'realtime listening');

  let stopped: Promise<void> | null = null;
  return {
    port,
    instanceId,
    grpcPort,
    subscriber: connected,
    archiveNow: (now) => archiver.runOnce(now),
    stop() {
      stopped ??= (async () => {
        state.draining = true;
        if (listenSocket) uWS.us_listen_socket_close(listenSocket);
        listenSocket = false;
        const users = sockets.userIds();
        sender.flush();
        for (const socket of sockets.all()) socket.end(CLOSE_CODES.goingAway, 'server shutting down');
        await release();
        // The close handlers cleared presence already; this catches any update that failed meanwhile.
        await Promise.all(users.map((userId) => presence.sync(userId, 0))).catch((error: unknown) =>
          log.warn({ err: error }, 'presence cleanup failed'),
        );
        app.close();
      })();
      return stopped;
    },
    abandon() {
      stopped ??= (async () => {
        state.tracksPresence = false;
        clearInterval(refresher);
        stopRefreshes.abort();
        stopLagSampler();
        app.close();
        await release();
      })();
      return stopped;
    },
  };
}
