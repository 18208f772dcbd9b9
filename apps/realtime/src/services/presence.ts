import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis, Result } from 'ioredis';
import { PRESENCE_ONLINE_KEY } from '@platform/contracts';

/**
 * One user's connections per instance live in a hash `presence:user:<id>`, field = instance id,
 * value = `<sockets>:<expiresAtMs>`. The script writes this instance's count (deleting the field at 0),
 * prunes fields whose instance stopped refreshing (crashed), then sums what is left: above 0 the user
 * is online and their score in the `presence:online` sorted set is pushed to the new expiry (never
 * lowered: another instance may hold a later one); at 0 they are removed at once. Atomic, so two
 * instances closing a user's last two sockets together cannot both leave them online.
 *
 * KEYS: online set, user hash. ARGV: instance id, count, now ms, expiry ms, ttl ms, user id.
 * Returns { live sockets before, live sockets after } across all instances.
 */
const SYNC_ONE = `
local function syncOne(onlineKey, userKey, instance, mineText, now, expiry, ttl, userId)
  local before = 0
  local after = 0
  local fields = redis.call('HGETALL', userKey)
  for i = 1, #fields, 2 do
    local count, expires = string.match(fields[i + 1], '^(%d+):(%d+)$')
    if count == nil or tonumber(expires) <= now then
      redis.call('HDEL', userKey, fields[i])
    else
      before = before + tonumber(count)
      if fields[i] ~= instance then after = after + tonumber(count) end
    end
  end
  local mine = tonumber(mineText)
  if mine > 0 then
    redis.call('HSET', userKey, instance, mineText .. ':' .. expiry)
    after = after + mine
  else
    redis.call('HDEL', userKey, instance)
  end
  if after > 0 then
    redis.call('PEXPIRE', userKey, ttl)
    redis.call('ZADD', onlineKey, 'GT', expiry, userId)
  else
    redis.call('DEL', userKey)
    redis.call('ZREM', onlineKey, userId)
  end
  return { before, after }
end
`;

const SYNC_SCRIPT = `${SYNC_ONE}
return syncOne(KEYS[1], KEYS[2], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6])
`;

/**
 * The periodic refresh of many users in one script: KEYS = online set, then one user hash per user;
 * ARGV = instance id, now ms, expiry ms, ttl ms, then (count, user id) per user, in KEYS' order.
 */
const REFRESH_SCRIPT = `${SYNC_ONE}
local now = tonumber(ARGV[2])
for i = 2, #KEYS do
  syncOne(KEYS[1], KEYS[i], ARGV[1], ARGV[3 + (i - 1) * 2], now, ARGV[3], ARGV[4], ARGV[4 + (i - 1) * 2])
end
return #KEYS - 1
`;

/**
 * Users per refresh script. Building one script's arguments and reading its answer is a few ms of the
 * loop at 250 users; at 100 each chunk stays well under the 10 ms the loop-lag target allows.
 */
const REFRESH_CHUNK = 100;

/**
 * When chunk `index` of `chunks` is sent, in ms after the refresh started: evenly over `spreadMs`, the
 * first at once and the last before `spreadMs` ends, so one refresh's work never comes in one burst.
 */
export function chunkOffsetMs(index: number, chunks: number, spreadMs: number): number {
  return chunks > 1 ? (spreadMs * index) / chunks : 0;
}

/** How a refresh is paced (see `Presence.refresh`). */
export interface RefreshOptions {
  /** Spread the chunks over this many ms (0: back to back). */
  spreadMs?: number;
  /** Each chunk's "now": its users' new expiry is this plus the TTL. */
  clock?: () => number;
  /** Stops a refresh between chunks (the instance is stopping); it then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Told, at the end, how many seconds the refresh spent waiting for Redis (the spread left out). */
  onRedisSeconds?: (seconds: number) => void;
}

/**
 * Removes the members of the online set whose presence expired, and returns them. Atomic, so a user
 * renewed by another instance in between is never removed, and each expired user is returned by one
 * sweeper only. KEYS: online set. ARGV: now ms.
 */
const SWEEP_SCRIPT = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
if #expired > 0 then redis.call('ZREM', KEYS[1], unpack(expired)) end
return expired
`;

/** A user's presence change as seen by one sync. */
export interface PresenceChange {
  wentOnline: boolean;
  wentOffline: boolean;
}

/**
 * Online presence in Redis (ioredis applies REDIS_PREFIX to every key). Readers (the admin summary)
 * count members of PRESENCE_ONLINE_KEY scored after now. Each instance re-syncs its users every third
 * of the TTL, so the users of an instance that died without cleaning up fall out within one TTL.
 */
export class Presence {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    ttlSeconds: number,
  ) {
    this.ttlMs = ttlSeconds * 1000;
    redis.defineCommand('presenceSync', { numberOfKeys: 2, lua: SYNC_SCRIPT });
    redis.defineCommand('presenceSweep', { numberOfKeys: 1, lua: SWEEP_SCRIPT });
    // No numberOfKeys: the caller passes it first, since a chunk's size varies.
    redis.defineCommand('presenceRefresh', { lua: REFRESH_SCRIPT });
  }

  /** Records that this instance now holds `count` sockets of the user (0 = none left). */
  async sync(userId: string, count: number, now = Date.now()): Promise<PresenceChange> {
    const [before, after] = await this.redis.presenceSync(
      PRESENCE_ONLINE_KEY,
      userKey(userId),
      this.instanceId,
      String(count),
      String(now),
      String(now + this.ttlMs),
      String(this.ttlMs),
      userId,
    );
    return { wentOnline: before === 0 && after > 0, wentOffline: before > 0 && after === 0 };
  }

  /**
   * Extends the presence of these local users, with the socket count `countOf` gives at the time their
   * chunk is sent (a user gone since holds 0 and is skipped: closing synced them already), then sweeps
   * expired members (users of an instance that died) out of the online set. Returns the users this call
   * removed: ZREM answers 1 to one sweeper only, so exactly one instance announces each of them offline.
   */
  async refresh(
    userIds: readonly string[],
    countOf: (userId: string) => number,
    { spreadMs = 0, clock = Date.now, signal, onRedisSeconds }: RefreshOptions = {},
  ): Promise<string[]> {
    // One script per chunk, one chunk at a time: a script (and a promise) per user made the loop parse
    // a thousand replies at once, a ~60 ms stall at 1000 users. Spread out too: 10 000 users' chunks
    // back to back kept the loop (and the collector, with their garbage) busy in a burst.
    const chunks = Math.ceil(userIds.length / REFRESH_CHUNK);
    const started = performance.now();
    let inRedisMs = 0;
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const before = performance.now();
      try {
        return await call();
      } finally {
        inRedisMs += performance.now() - before;
      }
    };
    for (let index = 0; index < chunks; index++) {
      const wait = started + chunkOffsetMs(index, chunks, spreadMs) - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal, ref: false });
      signal?.throwIfAborted();
      const from = index * REFRESH_CHUNK;
      const chunk = userIds.slice(from, from + REFRESH_CHUNK).flatMap((userId) => {
        const count = countOf(userId);
        return count > 0 ? [[userId, count] as const] : [];
      });
      if (chunk.length > 0) await timed(() => this.refreshChunk(chunk, clock()));
    }
    // A stopping instance sweeps nobody: it could not announce them, and no other sweeper would.
    signal?.throwIfAborted();
    const expired = await timed(() => this.redis.presenceSweep(PRESENCE_ONLINE_KEY, String(clock())));
    onRedisSeconds?.(inRedisMs / 1000);
    return expired;
  }

  private async refreshChunk(chunk: ReadonlyArray<readonly [string, number]>, now: number): Promise<void> {
    const keys = chunk.map(([userId]) => userKey(userId));
    const pairs = chunk.flatMap(([userId, count]) => [String(count), userId]);
    await this.redis.presenceRefresh(
      String(1 + keys.length),
      PRESENCE_ONLINE_KEY,
      ...keys,
      this.instanceId,
      String(now),
      String(now + this.ttlMs),
      String(this.ttlMs),
      ...pairs,
    );
  }

  /** How many users are online now. */
  onlineCount(now = Date.now()): Promise<number> {
    return this.redis.zcount(PRESENCE_ONLINE_KEY, now + 1, '+inf');
  }

  /** Which of these users are online now, in their order. */
  async statuses(userIds: readonly string[], now = Date.now()): Promise<boolean[]> {
    if (userIds.length === 0) return [];
    const scores = await this.redis.zmscore(PRESENCE_ONLINE_KEY, ...userIds);
    return scores.map((score) => score !== null && Number(score) > now);
  }

  /** Users online now (at most `limit`), for the connect snapshot. */
  online(limit = 1000, now = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(PRESENCE_ONLINE_KEY, now + 1, '+inf', 'LIMIT', 0, limit);
  }

  /** Whether a user counts as online (what the admin summary reads). */
  async isOnline(userId: string, now = Date.now()): Promise<boolean> {
    const score = await this.redis.zscore(PRESENCE_ONLINE_KEY, userId);
    return score !== null && Number(score) > now;
  }
}

// The scripts as ioredis exposes them after `defineCommand`: its documented way to type custom commands.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    presenceSync(...args: string[]): Result<[number, number], Context>;
    presenceSweep(...args: string[]): Result<string[], Context>;
    presenceRefresh(...args: string[]): Result<number, Context>;
  }
}

function userKey(userId: string): string {
  return `presence:user:${userId}`;
}
