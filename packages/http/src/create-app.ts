import { bodyParser } from '@koa/bodyparser';
import type { Redis } from 'ioredis';
import Koa, { type Middleware } from 'koa';
import type { Registry } from 'prom-client';
import { securityHeaders } from '@platform/contracts';
import type { Logger } from '@platform/observability';
import { httpDurationHistogram } from '@platform/observability';
import type { AccessTokens, Denylist } from '@platform/tokens';
import { identify } from './auth.js';
import { errorHandler } from './error-handler.js';
import { AppError } from './errors.js';
import { healthRouter, type ReadinessCheck } from './health.js';
import { rateLimit, userOrIp } from './rate-limit.js';
import { requestContext } from './request-context.js';
import { requestLog, type RequestLogEntry } from './request-log.js';
import type { AnswerCheck, BaseState } from './state.js';

export interface HttpKitOptions {
  service: string;
  log: Logger;
  registry: Registry;
  redis: Redis;
  tokens: AccessTokens;
  denylist: Denylist;
  /** Requests per minute per user (authenticated) or per IP, shared by every HTTP service. */
  rateLimitPerMinute: number;
  bodyLimit: string;
  /** Reverse-proxy hops whose X-Forwarded-For we trust (0 = use the socket address). */
  trustProxyHops: number;
  readiness: Record<string, ReadinessCheck>;
  /** Receives one `log.request` record per request (for the `logs` queue); must not throw. */
  shipRequestLog: (entry: RequestLogEntry) => void;
  /** Middleware that must wrap every route, e.g. the ORM request context. */
  around?: Middleware<BaseState>[];
  /** How contract routes treat an answer outside their contract (default `off`). */
  answerCheck?: AnswerCheck;
}

export type HttpApp = Koa<BaseState> & { draining: { value: boolean } };

/**
 * A Koa app with the kit's fixed middleware order; the service mounts its routers on it.
 *
 *  1. request id + child logger      5. identify the caller (bearer token, denylist)
 *  2. request log + metrics           6. rate limit (per user, else per IP; shared budget)
 *  3. error handler -> problem+json   7. body parser (JSON only, size limit)
 *  4. /health and /ready              8. `around` (ORM context), then the service's routers
 *
 * The log sits outside the error handler so it records the status the client really gets; health
 * checks come before the limiter so probes are never throttled; the limiter runs before the body
 * parser so throttled requests cost no parsing.
 */
export function createHttpApp(options: HttpKitOptions): HttpApp {
  const app = new Koa<BaseState>() as HttpApp;
  app.draining = { value: false };
  app.proxy = options.trustProxyHops > 0;
  app.maxIpsCount = options.trustProxyHops;
  app.silent = true; // the error handler logs; Koa's default stderr dump would duplicate it

  const health = healthRouter(options.readiness, () => app.draining.value);
  const headers = securityHeaders();
  // First, so that every answer has them, errors and probes included; an HTML route sets its own CSP.
  app.use((ctx, next) => {
    ctx.set(headers);
    return next();
  });
  app.use(requestContext(options.log));
  const answerCheck = options.answerCheck ?? 'off';
  app.use((ctx, next) => {
    ctx.state.answerCheck = answerCheck;
    return next();
  });
  app.use(
    requestLog({
      service: options.service,
      histogram: httpDurationHistogram(options.registry),
      ship: options.shipRequestLog,
    }),
  );
  app.use(errorHandler());
  app.use(async (ctx, next) => {
    // While draining, ask clients to reconnect elsewhere instead of reusing this connection.
    if (app.draining.value) ctx.set('Connection', 'close');
    await next();
    // A request already running when the drain began must not keep its keep-alive socket open.
    if (app.draining.value) ctx.set('Connection', 'close');
  });
  app.use(health.routes());
  app.use(identify(options.tokens, options.denylist));
  // Fails open: a Redis outage should slow nobody down; the sign-in limiters fail closed instead.
  app.use(
    rateLimit({
      redis: options.redis,
      name: 'global',
      max: options.rateLimitPerMinute,
      id: userOrIp,
      failOpen: true,
    }),
  );
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: options.bodyLimit,
      jsonStrict: true,
      onError: (error) => {
        const type = (error as { type?: string }).type;
        if (type === 'entity.too.large')
          throw new AppError('payload_too_large', `The body exceeds ${options.bodyLimit}.`);
        throw new AppError('invalid_json', 'The body is not valid JSON.');
      },
    }),
  );
  for (const middleware of options.around ?? []) app.use(middleware);
  return app;
}
