import type { Redis } from 'ioredis';
import type { AccessClaims } from '@platform/contracts';
import type { DenylistMirror } from './denylist-mirror.js';

/** The kinds of denylist entries: one access token (`jti`) or every token of a session (`sid`). */
export type DenylistKind = 'jti' | 'sid';

/** Key of an entry (before the client's key prefix). */
export function denylistKey(kind: DenylistKind, id: string): string {
  return `dl:${kind}:${id}`;
}

/**
 * The pub/sub channel on which every revocation is announced, as `<kind>:<id>:<expires at ms>`.
 * Channels are not key-prefixed by ioredis, so the prefix is added here: test runs and deployments
 * sharing one Redis stay apart.
 */
export function denylistChannel(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}dl:revoked`;
}

/**
 * Revoked access tokens and sessions, in Redis until the token could have expired anyway.
 * A logout lists the token's `jti`; revoking a session lists its `sid`, which kills every access
 * token issued for it, including older ones from before a refresh. Every write is also published
 * (in the same MULTI), so in-memory copies (`DenylistMirror`) learn of it at once.
 *
 * With a mirror, reads are answered from this process's memory while the mirror is current, and from
 * Redis otherwise: the check on every authenticated request then costs no round trip, and a
 * revocation still reaches every instance as fast as Redis pub/sub delivers it.
 */
export class Denylist {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    private readonly accessTtlSeconds: number,
    private readonly mirror?: DenylistMirror,
  ) {
    this.channel = denylistChannel(redis);
  }

  /** Revokes one access token until its expiry (`exp`, seconds since the epoch). */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const ttl = Math.max(1, exp - Math.floor(Date.now() / 1000) + 5);
    await this.write([['jti', jti]], ttl);
  }

  /** Revokes every access token of a session for as long as one could still be valid. */
  async revokeSession(sid: string): Promise<void> {
    await this.write([['sid', sid]], this.accessTtlSeconds + 5);
  }

  /** Every access token of these sessions, in one round trip. */
  async revokeSessions(sids: readonly string[]): Promise<void> {
    if (sids.length === 0) return;
    await this.write(
      sids.map((sid) => ['sid', sid]),
      this.accessTtlSeconds + 5,
    );
  }

  private async write(entries: [DenylistKind, string][], ttlSeconds: number): Promise<void> {
    const expiresAt = Date.now() + ttlSeconds * 1000;
    const multi = this.redis.multi();
    for (const [kind, id] of entries) {
      multi.set(denylistKey(kind, id), '1', 'EX', ttlSeconds);
      multi.publish(this.channel, `${kind}:${id}:${expiresAt}`);
    }
    await multi.exec();
    // This process's own copy need not wait for the published message to come back.
    for (const [kind, id] of entries) this.mirror?.remember(`${kind}:${id}`, expiresAt);
  }

  /** True when revoked, false when not, `undefined` when only Redis can tell (no current mirror). */
  checkLocally(claims: Pick<AccessClaims, 'jti' | 'sid'>): boolean | undefined {
    return this.mirror?.check(claims);
  }

  /** True when the token or its session has been revoked: from the mirror when it can tell, else one round trip. */
  async isRevoked(claims: Pick<AccessClaims, 'jti' | 'sid'>): Promise<boolean> {
    const local = this.mirror?.check(claims);
    if (local !== undefined) return local;
    const [byToken, bySession] = await this.redis.mget(
      denylistKey('jti', claims.jti),
      denylistKey('sid', claims.sid),
    );
    return byToken !== null || bySession !== null;
  }
}
