import type { GatewayParts, GatewayResources } from '@platform/runtime';
import { createApp, createGraphqlServer, GRAPHQL_PATH } from './app.js';
import { createBackends } from './backends.js';
import type { GraphqlConfig } from './config.js';
import { openProfileCache } from './profile-cache.js';
import { ChatFeed } from './subscriptions/chat-feed.js';
import { serveSubscriptions } from './subscriptions/ws-server.js';

/**
 * The gateway from its resources: the backends' clients, the fanout feed (ready only while it
 * consumes), the profile cache and its account-event feed, the HTTP app, and the subscriptions'
 * WebSocket server once the HTTP server listens.
 */
export async function composeGateway(
  resources: GatewayResources,
  config: GraphqlConfig,
): Promise<GatewayParts> {
  const feed = await ChatFeed.start({
    url: config.AMQP_URL,
    namespace: config.AMQP_NAMESPACE,
    name: resources.service,
    log: resources.log,
  });
  const cache = await openProfileCache({
    changes: () => feed.userChanges(),
    ttlMs: config.USERS_CACHE_TTL_MS,
    registry: resources.registry,
  }).catch(async (error: unknown) => {
    await feed.stop();
    throw error;
  });
  const readiness = {
    ...resources.readiness,
    fanout: async () => {
      if (!feed.isReady()) throw new Error('fanout subscription not consuming');
    },
  };
  const deps = {
    ...resources,
    readiness,
    config,
    feed,
    profiles: cache.profiles,
    backends: createBackends(config, resources.registry),
  };
  const yoga = createGraphqlServer(deps);
  return {
    app: createApp(deps, yoga),
    attach: (running) => {
      const stopSockets = serveSubscriptions({
        server: running.server,
        path: GRAPHQL_PATH,
        yoga,
        feed,
        tokens: resources.tokens,
        denylist: resources.denylist,
        log: resources.log,
      });
      return async () => {
        await stopSockets();
        await cache.close(); // its queue is on the feed's connection, which stop() closes
        await feed.stop();
      };
    },
  };
}
