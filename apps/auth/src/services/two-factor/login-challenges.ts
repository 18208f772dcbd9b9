import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TOTP_STEP_SECONDS } from './totp.js';

/** What a password step hands to the second step; `identifier` keeps the lockout bookkeeping on it. */
export interface PendingLogin {
  userId: string;
  remember: boolean;
  identifier: string;
  /** Where the password step came from, for the audit record of the second one. */
  ip: string | null;
  userAgent: string | null;
  /** The OAuth provider that was the first factor, when it was not the password. */
  provider?: string | undefined;
  /** The trusted device the password step came through: the second step counts against its budget. */
  deviceId?: string | undefined;
}

/** Wrong codes one challenge takes before it dies (the identifier's lockout may end it sooner). */
export const CHALLENGE_MAX_STRIKES = 5;

/** Relative to the service's REDIS_PREFIX. Challenges by the SHA-256 of the token, never the token. */
export const twoFactorKeys = {
  challenge: (tokenHash: string) => `2fa:challenge:${tokenHash}`,
  usedStep: (userId: string, step: number) => `2fa:used:${userId}:${step}`,
} as const;

// KEYS: challenge. ARGV: max strikes. Counts a wrong code; the one that uses up the budget deletes it.
const STRIKE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], 'strikes', 1)
if n >= tonumber(ARGV[1]) then redis.call('DEL', KEYS[1]) end
return n
`;

const keyOf = (token: string) =>
  twoFactorKeys.challenge(createHash('sha256').update(token, 'utf8').digest('hex'));

/**
 * Short-lived, single-use tokens proving the password step of a 2FA sign-in passed, kept in Redis so
 * every replica sees them: 256 random bits handed to the client, stored under their SHA-256.
 */
export class LoginChallenges {
  constructor(
    private readonly redis: Redis,
    readonly ttlSeconds: number,
  ) {}

  async issue(pending: PendingLogin): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const key = keyOf(token);
    await this.redis
      .multi()
      .hset(key, {
        userId: pending.userId,
        remember: pending.remember ? '1' : '0',
        identifier: pending.identifier,
        ip: pending.ip ?? '',
        userAgent: pending.userAgent ?? '',
        provider: pending.provider ?? '',
        deviceId: pending.deviceId ?? '',
        strikes: '0',
      })
      .expire(key, this.ttlSeconds)
      .exec();
    return token;
  }

  /** The pending sign-in behind a live challenge, or null (unknown, expired, used, or struck out). */
  async peek(token: string): Promise<PendingLogin | null> {
    const fields = await this.redis.hgetall(keyOf(token));
    if (!fields.userId || !fields.identifier) return null;
    return {
      userId: fields.userId,
      remember: fields.remember === '1',
      identifier: fields.identifier,
      ip: fields.ip || null,
      userAgent: fields.userAgent || null,
      provider: fields.provider || undefined,
      deviceId: fields.deviceId || undefined,
    };
  }

  /** Counts a wrong code against the challenge; the last allowed one ends it. */
  async strike(token: string): Promise<void> {
    await this.redis.eval(STRIKE, 1, keyOf(token), CHALLENGE_MAX_STRIKES);
  }

  /** Uses the challenge up; true for exactly one of any number of concurrent callers. */
  async claim(token: string): Promise<boolean> {
    return (await this.redis.del(keyOf(token))) === 1;
  }
}

/**
 * RFC 6238 §5.2: a code is accepted once. A step is claimed per user with SET NX; the key outlives
 * the ±1-step window that code could still be accepted in, plus a step for clock skew between replicas.
 */
export class UsedTotpSteps {
  constructor(private readonly redis: Redis) {}

  async claim(userId: string, step: number): Promise<boolean> {
    const ok = await this.redis.set(
      twoFactorKeys.usedStep(userId, step),
      '1',
      'EX',
      TOTP_STEP_SECONDS * 4,
      'NX',
    );
    return ok === 'OK';
  }
}
