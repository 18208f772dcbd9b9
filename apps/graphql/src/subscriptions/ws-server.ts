import type { Server } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { AccessClaims } from '@platform/contracts';
import type { Logger } from '@platform/observability';
import { TokenError, toTokenError, type AccessTokens, type Denylist } from '@platform/tokens';
import type { GatewayContext, Identity } from '../context.js';
import { socketError } from '../errors.js';
import type { ChatFeed } from './chat-feed.js';

/** A subscription frame is a query and its variables: small. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** graphql-ws's close code for a refused or expired token (4401 Unauthorized), with the catalogue code. */
const UNAUTHORIZED = 4401;
const GOING_AWAY = 1001;
/** The socket tier's close code for a logged-out or revoked session (docs/api.md, WebSocket). */
const SESSION_ENDED = 4001;

/** What the gateway's Yoga gets for a subscription: the socket's identity instead of a Koa context. */
export interface SocketContext {
  identity: Identity;
  origin: { requestId: null; ip: string | null; userAgent: string | null };
}

type Extra = {
  identity?: Identity;
  expiry?: NodeJS.Timeout;
  unwatch?: () => void;
};

type Enveloped = ReturnType<YogaServerInstance<object, GatewayContext>['getEnveloped']>;

export interface SubscriptionServerOptions {
  server: Server;
  path: string;
  yoga: YogaServerInstance<{ ws?: SocketContext }, GatewayContext>;
  feed: ChatFeed;
  tokens: AccessTokens;
  denylist: Denylist;
  log: Logger;
}

/** The bearer token from graphql-ws's connection_init payload (`authorization` or `accessToken`). */
function tokenOf(params: Record<string, unknown> | undefined): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === 'string') return /^Bearer ([A-Za-z0-9._-]+)$/i.exec(header)?.[1];
  return typeof params?.accessToken === 'string' ? params.accessToken : undefined;
}

/** The same checks as `identify` in packages/http: signature (pinned algorithm), claims, denylist. */
async function verify(
  token: string | undefined,
  tokens: AccessTokens,
  denylist: Denylist,
): Promise<AccessClaims> {
  if (token === undefined) throw new TokenError('invalid_token', 'A bearer token is required.');
  const claims = tokens.verify(token);
  if (await denylist.isRevoked(claims))
    throw new TokenError('token_revoked', 'The access token has been revoked.');
  return claims;
}

/**
 * Subscriptions over WebSocket with the `graphql-ws` protocol on the gateway's own HTTP server (the
 * edge proxies the upgrade on /graphql). The token comes in connection_init, is checked as REST
 * checks it, and the socket closes when it expires (4401) or its session is logged out or revoked
 * (4001, as `/ws` does): a subscription never outlives its credentials. Operations run through
 * Yoga's envelope, so limits and error masking are the same as over HTTP. Returns the drain: sockets
 * closed with 1001, then the server.
 */
export function serveSubscriptions(options: SubscriptionServerOptions): () => Promise<void> {
  const { yoga, tokens, denylist, log } = options;
  const wss = new WebSocketServer({
    server: options.server,
    path: options.path,
    maxPayload: MAX_PAYLOAD_BYTES,
  });
  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      onConnect: async (ctx) => {
        try {
          const claims = await verify(tokenOf(ctx.connectionParams), tokens, denylist);
          ctx.extra.identity = { caller: claims, token: tokenOf(ctx.connectionParams) };
          const left = claims.exp * 1000 - Date.now();
          ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(UNAUTHORIZED, 'token_expired'), left);
          ctx.extra.expiry.unref();
          ctx.extra.unwatch = options.feed.onSessionEnd(claims.sid, () =>
            ctx.extra.socket.close(SESSION_ENDED, 'session_ended'),
          );
          return true;
        } catch (error) {
          const code = error instanceof TokenError ? toTokenError(error).code : 'service_unavailable';
          if (!(error instanceof TokenError)) log.error({ err: error }, 'token check failed');
          ctx.extra.socket.close(UNAUTHORIZED, code);
          return false;
        }
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
        ctx.extra.unwatch?.();
      },
      onSubscribe: async (ctx, _id, payload) => {
        const request = ctx.extra.request;
        const ws: SocketContext = {
          identity: ctx.extra.identity ?? {},
          origin: {
            requestId: null,
            ip: request.socket.remoteAddress ?? null,
            userAgent: request.headers['user-agent'] ?? null,
          },
        };
        const enveloped = yoga.getEnveloped({ ws });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [socketError(error as GraphQLError)];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors.map(socketError);
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
        return args;
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
    },
    wss,
  );
  return async () => {
    for (const socket of wss.clients) socket.close(GOING_AWAY, 'server shutting down');
    await server.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
