import { randomUUID } from 'node:crypto';
import { AccountToken, type AccountTokenPurpose, type EntityManager, type User } from '@platform/db';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';

/**
 * Single-use tokens mailed to a user (verify email, reset password): 256 random bits, stored as their
 * SHA-256 like refresh tokens, bound to the address they were sent to.
 */
export class AccountTokens {
  constructor(private readonly em: EntityManager) {}

  /** Adds a new token to the unit of work (written by the caller's flush) and returns it in clear. */
  issue(
    user: User,
    purpose: AccountTokenPurpose,
    ttlSeconds: number,
    now = new Date(),
  ): { token: string; expiresAt: Date } {
    const token = newRefreshToken();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    this.em.create(AccountToken, {
      id: randomUUID(),
      user,
      purpose,
      tokenHash: hashRefreshToken(token),
      email: user.email,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    return { token, expiresAt };
  }

  /**
   * Claims a token: one conditional UPDATE, so of two concurrent uses exactly one wins. Returns its
   * user, or null for a token that is unknown, of another purpose, used, expired, or sent to an
   * address the account no longer has. The caller's flush commits what it does with the user.
   */
  async consume(token: string, purpose: AccountTokenPurpose, now = new Date()): Promise<User | null> {
    const stored = await this.em.findOne(
      AccountToken,
      { tokenHash: hashRefreshToken(token), purpose },
      { populate: ['user'] },
    );
    if (!stored || stored.usedAt || stored.expiresAt <= now || stored.user.email !== stored.email)
      return null;
    const claimed = await this.em.nativeUpdate(
      AccountToken,
      { id: stored.id, usedAt: null },
      { usedAt: now },
    );
    return claimed === 1 ? stored.user : null;
  }
}

/** A link to the web app carrying a token in its query string. */
export function tokenLink(baseUrl: string, path: string, token: string): string {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}
