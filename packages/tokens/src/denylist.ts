import type { Redis } from 'ioredis';
import type { AccessClaims } from '@platform/contracts';

/**
 * Revoked access tokens and sessions, in Redis until the token could have expired anyway.
 * A logout lists the token's `jti`; revoking a session lists its `sid`, which kills every access
 * token issued for it, including older ones from before a refresh.
 */
export class Denylist {
  constructor(
    private readonly redis: Redis,
    private readonly accessTtlSeconds: number,
  ) {}

  /** Revokes one access token until its expiry (`exp`, seconds since the epoch). */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const ttl = Math.max(1, exp - Math.floor(Date.now() / 1000) + 5);
    await this.redis.set(`dl:jti:${jti}`, '1', 'EX', ttl);
  }

  /** Revokes every access token of a session for as long as one could still be valid. */
  async revokeSession(sid: string): Promise<void> {
    await this.redis.set(`dl:sid:${sid}`, '1', 'EX', this.accessTtlSeconds + 5);
  }

  /** Every access token of these sessions, in one round trip. */
  async revokeSessions(sids: readonly string[]): Promise<void> {
    if (sids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const sid of sids) pipeline.set(`dl:sid:${sid}`, '1', 'EX', this.accessTtlSeconds + 5);
    await pipeline.exec();
  }

  /** True when the token or its session has been revoked. One round trip. */
  async isRevoked(claims: Pick<AccessClaims, 'jti' | 'sid'>): Promise<boolean> {
    const [byToken, bySession] = await this.redis.mget(`dl:jti:${claims.jti}`, `dl:sid:${claims.sid}`);
    return byToken !== null || bySession !== null;
  }
}
