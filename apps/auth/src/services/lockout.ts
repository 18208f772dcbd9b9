import type { Redis } from 'ioredis';
import { identifierLockoutKeys, lockoutKeys } from '@platform/contracts';

export interface LockoutSettings {
  /** Sign-in attempts per identifier in a window before it locks. */
  threshold: number;
  /** The same per client IP, across every identifier. */
  ipThreshold: number;
  windowSeconds: number;
  /** First lock; each further lock within a day doubles it, up to `maxLockSeconds`. */
  lockSeconds: number;
  maxLockSeconds: number;
}

/** A sign-in attempt may go on to the password hash, or is refused because of a lock. */
export type Reservation =
  { allowed: true; identifierCount: number; ipCount: number } | { allowed: false; retryAfterSeconds: number };

/*
 * Reserve before hashing, in one script, so parallel requests cannot overshoot: the counter counts
 * attempts started in the window, and the one that would exceed the threshold is refused without
 * touching bcrypt. KEYS: id attempts, id lock, ip attempts, ip lock. ARGV: threshold, ip threshold,
 * window ms. Returns {1, idCount, ipCount} or {0, retryAfterMs}.
 */
const RESERVE = `
local lock = redis.call('PTTL', KEYS[2])
if lock > 0 then return {0, lock} end
lock = redis.call('PTTL', KEYS[4])
if lock > 0 then return {0, lock} end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if n > tonumber(ARGV[1]) then return {0, math.max(redis.call('PTTL', KEYS[1]), 1000)} end
local m = redis.call('INCR', KEYS[3])
if m == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
if m > tonumber(ARGV[2]) then
  redis.call('DECR', KEYS[1])
  return {0, math.max(redis.call('PTTL', KEYS[3]), 1000)}
end
return {1, n, m}
`;

/*
 * The failed attempt that used up the budget locks: strikes count lockouts in the last day and double
 * the lock each time. KEYS: lock, strikes, attempts. ARGV: base ms, max ms. Returns the lock in ms.
 */
const LOCK = `
local strikes = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 86400)
local ms = math.min(tonumber(ARGV[1]) * 2 ^ (strikes - 1), tonumber(ARGV[2]))
redis.call('SET', KEYS[1], strikes, 'PX', ms)
redis.call('DEL', KEYS[3])
return ms
`;

/*
 * The same reservation for one budget alone (a trusted device's): no identifier, no IP. KEYS: attempts,
 * lock. ARGV: threshold, window ms. Returns {1, count} or {0, retryAfterMs}.
 */
const RESERVE_ONE = `
local lock = redis.call('PTTL', KEYS[2])
if lock > 0 then return {0, lock} end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return {0, math.max(redis.call('PTTL', KEYS[1]), 1000)} end
return {1, n}
`;

/** A trusted device's reservation: its own count, nothing else. */
export type DeviceReservation =
  { allowed: true; count: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Brute-force lockout in Redis, shared by every auth replica: per identifier (the normalised email,
 * whether or not an account has it, so a lock says nothing about existence) and per client IP.
 */
export class Lockout {
  constructor(
    private readonly redis: Redis,
    private readonly settings: LockoutSettings,
  ) {}

  async reserve(identifier: string, ip: string): Promise<Reservation> {
    const { threshold, ipThreshold, windowSeconds } = this.settings;
    const result = (await this.redis.eval(
      RESERVE,
      4,
      lockoutKeys.attempts(identifier),
      lockoutKeys.locked(identifier),
      lockoutKeys.ipAttempts(ip),
      lockoutKeys.ipLocked(ip),
      threshold,
      ipThreshold,
      windowSeconds * 1000,
    )) as number[];
    if (result[0] === 1) return { allowed: true, identifierCount: result[1] ?? 0, ipCount: result[2] ?? 0 };
    return { allowed: false, retryAfterSeconds: Math.ceil((result[1] ?? 1000) / 1000) };
  }

  /** The password was right: the identifier's budget starts over and the IP gets its attempt back. */
  async succeeded(identifier: string, ip: string): Promise<void> {
    await this.redis.multi().del(lockoutKeys.attempts(identifier)).decr(lockoutKeys.ipAttempts(ip)).exec();
  }

  /** The owner proved themselves another way (a password reset): lift the identifier's lock and strikes. */
  async clear(identifier: string): Promise<void> {
    await this.redis.del(...identifierLockoutKeys(identifier));
  }

  /** The attempt never reached a verdict (hashing overloaded): give both budgets their attempt back. */
  async release(identifier: string, ip: string): Promise<void> {
    await this.redis.multi().decr(lockoutKeys.attempts(identifier)).decr(lockoutKeys.ipAttempts(ip)).exec();
  }

  /**
   * The password was wrong. Returns the time the identifier is now locked until, if this attempt was
   * the last one its budget allowed; the IP is locked too once it used up its own budget.
   */
  async failed(
    identifier: string,
    ip: string,
    reservation: { identifierCount: number; ipCount: number },
  ): Promise<Date | null> {
    const { threshold, ipThreshold, lockSeconds, maxLockSeconds } = this.settings;
    if (reservation.ipCount >= ipThreshold) {
      await this.redis.set(lockoutKeys.ipLocked(ip), '1', 'EX', lockSeconds, 'NX');
    }
    if (reservation.identifierCount < threshold) return null;
    const ms = (await this.redis.eval(
      LOCK,
      3,
      lockoutKeys.locked(identifier),
      lockoutKeys.strikes(identifier),
      lockoutKeys.attempts(identifier),
      lockSeconds * 1000,
      maxLockSeconds * 1000,
    )) as number;
    return new Date(Date.now() + ms);
  }

  /**
   * Reserves an attempt of a trusted device's own budget (same threshold, window and doubling as an
   * identifier's). Neither the identifier's lock nor the IP's is consulted or counted: those are what
   * strangers cause, and a sign-in through the device must not be refused for them.
   */
  async reserveDevice(deviceId: string): Promise<DeviceReservation> {
    const { threshold, windowSeconds } = this.settings;
    const result = (await this.redis.eval(
      RESERVE_ONE,
      2,
      lockoutKeys.deviceAttempts(deviceId),
      lockoutKeys.deviceLocked(deviceId),
      threshold,
      windowSeconds * 1000,
    )) as number[];
    if (result[0] === 1) return { allowed: true, count: result[1] ?? 0 };
    return { allowed: false, retryAfterSeconds: Math.ceil((result[1] ?? 1000) / 1000) };
  }

  /** The whole sign-in through the device succeeded: its budget starts over (the identifier's is untouched). */
  async deviceSucceeded(deviceId: string): Promise<void> {
    await this.redis.del(lockoutKeys.deviceAttempts(deviceId));
  }

  /** The attempt never reached a verdict: the device gets it back. */
  async releaseDevice(deviceId: string): Promise<void> {
    await this.redis.decr(lockoutKeys.deviceAttempts(deviceId));
  }

  /** A wrong password or code through the device; returns when the device is locked until, if it now is. */
  async deviceFailed(deviceId: string, count: number): Promise<Date | null> {
    const { threshold, lockSeconds, maxLockSeconds } = this.settings;
    if (count < threshold) return null;
    const ms = (await this.redis.eval(
      LOCK,
      3,
      lockoutKeys.deviceLocked(deviceId),
      lockoutKeys.deviceStrikes(deviceId),
      lockoutKeys.deviceAttempts(deviceId),
      lockSeconds * 1000,
      maxLockSeconds * 1000,
    )) as number;
    return new Date(Date.now() + ms);
  }
}
