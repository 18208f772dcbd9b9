import type { Redis } from 'ioredis';
import type { Context, Middleware } from 'koa';
import ratelimit from 'koa-ratelimit';
import { Errors } from './errors.js';
import type { BaseState } from './state.js';

export interface RateLimitOptions {
  /** When Redis cannot answer: let requests through (true, for the general limit) or answer 503. */
  failOpen?: boolean;
  redis: Redis;
  /** Names the counter; services that use the same name share one budget. */
  name: string;
  max: number;
  windowMs?: number;
  /** Who is counted; `false` skips the request. */
  id: (ctx: Context) => string | false;
}

const EPOCH_HEADER = 'X-RateLimit-Reset';

/** koa-ratelimit gives the reset as an epoch; the RateLimit draft wants seconds from now. */
function toDeltaReset(headers: Record<string, unknown>, set: (name: string, value: string) => void) {
  const epoch = Number(headers[EPOCH_HEADER]);
  if (Number.isFinite(epoch))
    set('RateLimit-Reset', String(Math.max(0, Math.ceil(epoch - Date.now() / 1000))));
}

/**
 * A sliding-window limit in Redis (koa-ratelimit's atomic Lua script), answering 429 `rate_limited`
 * with Retry-After and the RateLimit-Limit/-Remaining/-Reset headers.
 */
export function rateLimit({
  redis,
  name,
  max,
  windowMs = 60_000,
  id,
  failOpen = false,
}: RateLimitOptions): Middleware<BaseState> {
  const limiter = ratelimit({
    driver: 'redis',
    db: ratelimitDb(redis),
    namespace: `rl:${name}`,
    duration: windowMs,
    max,
    id,
    throw: true,
    headers: { remaining: 'RateLimit-Remaining', reset: EPOCH_HEADER, total: 'RateLimit-Limit' },
  });
  const policy = `${max};w=${Math.round(windowMs / 1000)}`;
  return async (ctx, next) => {
    ctx.set('RateLimit-Policy', policy);
    let passed = false;
    try {
      await limiter(ctx, async () => {
        passed = true;
        toDeltaReset({ [EPOCH_HEADER]: ctx.response.get(EPOCH_HEADER) }, (k, v) => ctx.set(k, v));
        ctx.remove(EPOCH_HEADER);
        await next();
      });
    } catch (error) {
      const { status, headers } = error as { status?: number; headers?: Record<string, unknown> };
      if (status === 429 && headers) {
        toDeltaReset(headers, (k, v) => (headers[k] = v));
        delete headers[EPOCH_HEADER];
        ctx.remove(EPOCH_HEADER);
        headers['Retry-After'] = String(Math.max(1, Number(headers['Retry-After']) || 1));
      }
      // Errors from the routes behind us, and the 429 itself, are not the limiter's to handle.
      if (passed || status !== undefined) throw error;
      ctx.state.log.warn({ err: error, limiter: name }, 'rate limiter unavailable');
      if (!failOpen) throw Errors.unavailable();
      await next();
    }
  };
}

/** The caller's user id when authenticated, else the client IP. */
export function userOrIp(ctx: Context): string {
  const user = (ctx.state as BaseState).user;
  return user ? `user:${user.sub}` : `ip:${ctx.ip}`;
}

/**
 * The one adapter between koa-ratelimit's types and ours: @types/koa-ratelimit describes ioredis 4's
 * client, while the driver only calls commands ioredis 5 has with the same shapes.
 */
function ratelimitDb(redis: Redis): ratelimit.MiddlewareOptions['db'] {
  // eslint-disable-next-line no-restricted-syntax -- the typed adapter above is this cast's only home
  return redis as unknown as ratelimit.MiddlewareOptions['db'];
}
