import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Context, Middleware } from 'koa';
import { AppError, Errors } from './errors.js';
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

/**
 * A sliding-window log: the times of the requests of the last window, in a sorted set. Old ones are
 * dropped, and the request is counted only if fewer than `max` remain, so the set never holds more
 * than `max` members however hard a client pushes. Answers {allowed, counted, ms until the oldest
 * leaves the window}. One script, so concurrent requests on any instance cannot both take the last
 * slot, and one round trip.
 */
const SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < max then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return {allowed, count, reset}
`;
const SHA = createHash('sha1').update(SCRIPT).digest('hex');

/** Members must be unique per request: two in the same millisecond are two requests. */
const INSTANCE = randomBytes(4).toString('hex');
let sequence = 0;

/** Runs the script by its hash, loading it once per Redis server (after a restart or failover too). */
async function count(redis: Redis, key: string, windowMs: number, max: number): Promise<number[]> {
  const now = Date.now();
  const args = [key, now, windowMs, max, `${now}:${INSTANCE}:${sequence++}`];
  try {
    return (await redis.evalsha(SHA, 1, ...args)) as number[];
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return (await redis.eval(SCRIPT, 1, ...args)) as number[];
  }
}

/**
 * A sliding-window limit in Redis, answering 429 `rate_limited` with Retry-After and the
 * RateLimit-Policy/-Limit/-Remaining/-Reset headers (the IETF draft's, Reset in seconds from now).
 */
export function rateLimit({
  redis,
  name,
  max,
  windowMs = 60_000,
  id,
  failOpen = false,
}: RateLimitOptions): Middleware<BaseState> {
  const policy = `${max};w=${Math.round(windowMs / 1000)}`;
  const limit = String(max);
  return async (ctx, next) => {
    const who = id(ctx);
    if (who === false) return next();
    let answer: number[];
    try {
      answer = await count(redis, `ratelimit:${name}:${who}`, windowMs, max);
    } catch (error) {
      ctx.state.log.warn({ err: error, limiter: name }, 'rate limiter unavailable');
      if (!failOpen) throw Errors.unavailable();
      return next();
    }
    const [allowed = 0, counted = 0, resetMs = windowMs] = answer;
    const headers = {
      'RateLimit-Policy': policy,
      'RateLimit-Limit': limit,
      'RateLimit-Remaining': String(Math.max(0, max - counted)),
      'RateLimit-Reset': String(Math.max(0, Math.ceil(resetMs / 1000))),
    };
    if (allowed !== 1) {
      const retryAfter = String(Math.max(1, Math.ceil(resetMs / 1000)));
      throw new AppError('rate_limited', 'Too many requests; slow down and retry later.', {
        headers: { ...headers, 'Retry-After': retryAfter },
      });
    }
    ctx.set(headers);
    return next();
  };
}

/** The caller's user id when authenticated, else the client IP. */
export function userOrIp(ctx: Context): string {
  const user = (ctx.state as BaseState).user;
  return user ? `user:${user.sub}` : `ip:${ctx.ip}`;
}
