import { Readable } from 'node:stream';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { NoSchemaIntrospectionCustomRule, type GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Context } from 'koa';
import { Router, type BaseState, type HttpApp } from '@platform/http';
import type { Logger } from '@platform/observability';
import { createGatewayApp, type GatewayResources } from '@platform/runtime';
import type { Backends } from './backends.js';
import { introspectionEnabled, type GraphqlConfig } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import { catalogueCodes, maskError } from './errors.js';
import { costLimit, depthLimit } from './limits.js';
import type { ProfileCache } from './profile-cache.js';
import { buildSchema } from './schema/index.js';
import type { ChatFeed } from './subscriptions/chat-feed.js';
import type { SocketContext } from './subscriptions/ws-server.js';

export const GRAPHQL_PATH = '/graphql';

export interface GraphqlDeps extends GatewayResources {
  config: GraphqlConfig;
  backends: Backends;
  feed: ChatFeed;
  profiles: ProfileCache['profiles'];
}

/** Yoga's server context: a Koa request over HTTP, or a socket's identity for a subscription. */
export type ServerContext = { koa?: Context & { state: BaseState }; ws?: SocketContext };

/** Depth and cost limits, and no introspection where it is off: checked before anything runs. */
function validationPlugin(config: GraphqlConfig): Plugin {
  const rules = [depthLimit(config.GRAPHQL_MAX_DEPTH), costLimit(config.GRAPHQL_MAX_COST)];
  if (!introspectionEnabled(config)) rules.push(NoSchemaIntrospectionCustomRule);
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

/**
 * GraphiQL with its scripts and styles inline (no CDN: nothing links outside the repository), built
 * once since its options never change; its own CSP lets only its inline code and this origin in.
 */
let graphiqlPage: string | undefined;
const renderLocalGraphiQL = (options: Parameters<typeof renderGraphiQL>[0]) =>
  (graphiqlPage ??= renderGraphiQL(options));
const GRAPHIQL_CSP =
  "default-src 'self' 'unsafe-inline' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Yoga's own logging into the service's pino logger. */
function yogaLogger(log: Logger) {
  return {
    debug: (...args: unknown[]) => log.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => log.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => log.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => log.error({ args }, 'yoga'),
  };
}

/** The GraphQL server: the schema, limits, masked errors, GraphiQL outside production. */
export function createGraphqlServer(
  deps: GraphqlDeps,
  schema: GraphQLSchema = buildSchema(),
): YogaServerInstance<ServerContext, GatewayContext> {
  const { config, backends, log, feed, profiles } = deps;
  return createYoga<ServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: introspectionEnabled(config)
      ? { subscriptionsProtocol: 'WS', title: 'Platform GraphQL' }
      : false,
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    // One operation per request: the limiter counts requests, and a batch would dodge it.
    batching: false,
    logging: yogaLogger(log),
    maskedErrors: { maskError: (error) => maskError(error, log) },
    plugins: [validationPlugin(config), catalogueCodes()],
    context: ({ koa, ws }): GatewayContext => {
      if (ws !== undefined)
        return createContext(ws.identity, { log, origin: ws.origin, backends, feed, profiles });
      if (koa === undefined) throw new Error('a GraphQL operation arrived without a request');
      const { state } = koa;
      return createContext(
        { caller: state.user, token: (state as { token?: string }).token, tokenError: state.tokenError },
        {
          log: state.log,
          origin: { requestId: state.requestId, ip: koa.ip, userAgent: koa.get('user-agent') || null },
          backends,
          feed,
          profiles,
        },
      );
    },
  });
}

/** A WHATWG stream's chunks (whichever implementation Yoga's fetch API uses); cancelled when left. */
async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The gateway: the HTTP kit (request log, problem+json, token check, rate limit) around Yoga. */
export function createApp(deps: GraphqlDeps, yoga = createGraphqlServer(deps)): HttpApp {
  const app = createGatewayApp(deps, deps.config);
  const router = new Router<BaseState>();
  router.all(GRAPHQL_PATH, async (ctx) => {
    // The kit's body parser has read the JSON body already; Yoga takes it from `request.body`.
    const response = await yoga.handleNodeRequestAndResponse(ctx.request, ctx.res, { koa: ctx });
    ctx.status = response.status;
    response.headers.forEach((value, key) => ctx.set(key, value));
    const type = response.headers.get('content-type') ?? '';
    if (type.startsWith('text/html')) ctx.set('Content-Security-Policy', GRAPHIQL_CSP);
    // A streamed answer (SSE subscription, incremental delivery) flows; everything else is one body.
    ctx.body =
      type.startsWith('text/event-stream') || type.startsWith('multipart/mixed')
        ? Readable.from(chunksOf(response.body))
        : Buffer.from(await response.arrayBuffer());
  });
  app.use(router.routes());
  return app;
}
