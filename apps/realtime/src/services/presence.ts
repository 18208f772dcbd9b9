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

/** Users per refresh script: one round trip each, short enough that Redis and our loop stay responsive. */
const REFRESH_CHUNK = 250;

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
   * Extends every local user's presence, and sweeps expired members (users of an instance that died)
   * out of the online set. Returns the users this call removed: ZREM answers 1 to one sweeper only, so
   * exactly one instance announces each of them offline.
   */
  async refresh(users: ReadonlyMap<string, number>, now = Date.now()): Promise<string[]> {
    // One script per chunk of users, one chunk at a time: a script (and a promise) per user made the
    // event loop parse a thousand replies at once, a ~60 ms stall at 1000 users.
    const entries = [...users];
    const expiry = String(now + this.ttlMs);
    for (let from = 0; from < entries.length; from += REFRESH_CHUNK) {
      const chunk = entries.slice(from, from + REFRESH_CHUNK);
      const keys = chunk.map(([userId]) => userKey(userId));
      const pairs = chunk.flatMap(([userId, count]) => [String(count), userId]);
      await this.redis.presenceRefresh(
        String(1 + keys.length),
        PRESENCE_ONLINE_KEY,
        ...keys,
        this.instanceId,
        String(now),
        expiry,
        String(this.ttlMs),
        ...pairs,
      );
    }
    return this.redis.presenceSweep(PRESENCE_ONLINE_KEY, String(now));
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
