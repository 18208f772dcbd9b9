import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccountToken, type AccountTokenPurpose } from '../entities/account-token.entity.js';
import type { User } from '../entities/user.entity.js';

/** SHA-256 hex of a high-entropy token: a fast hash is enough, and lookups stay an index hit. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Single-use tokens mailed to a user (verify email, reset password, unlock after a lockout): 256
 * random bits, stored as their SHA-256 like refresh tokens, bound to the address they were sent to.
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
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    this.em.create(AccountToken, {
      id: randomUUID(),
      user,
      purpose,
      tokenHash: hashToken(token),
      email: user.email,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    return { token, expiresAt };
  }

  /**
   * Issues a token and returns the web-app link that carries it (`/verify-email?token=...`,
   * `/reset-password?token=...` or `/unlock-account?token=...` under `publicWebUrl`), with its expiry
   * as ISO text, ready for a mail.
   */
  issueLink(user: User, purpose: AccountTokenPurpose, ttlSeconds: number, publicWebUrl: string) {
    const { token, expiresAt } = this.issue(user, purpose, ttlSeconds);
    return { url: tokenLink(publicWebUrl, LINK_PATHS[purpose], token), expiresAt: expiresAt.toISOString() };
  }

  /** The live token's user without using it up (to validate the rest of a request first). */
  async peek(token: string, purpose: AccountTokenPurpose, now = new Date()): Promise<User | null> {
    const stored = await this.find(token, purpose);
    return stored && this.usable(stored, now) ? stored.user : null;
  }

  /** Voids every unused token of a purpose for a user (a new reset link replaces the old ones). */
  async revokeAll(user: User, purpose: AccountTokenPurpose, now = new Date()): Promise<void> {
    await this.em.nativeUpdate(AccountToken, { user, purpose, usedAt: null }, { usedAt: now });
  }

  /**
   * Claims a token: one conditional UPDATE, so of two concurrent uses exactly one wins. Returns its
   * user, or null for a token that is unknown, of another purpose, used, expired, or sent to an
   * address the account no longer has. The caller's flush commits what it does with the user.
   */
  async consume(token: string, purpose: AccountTokenPurpose, now = new Date()): Promise<User | null> {
    const stored = await this.em.findOne(
      AccountToken,
      { tokenHash: hashToken(token), purpose },
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

  /**
   * Claims an `email_revert` token. Unlike the others it must still work after the address changed
   * (undoing that change is its point), so it is bound to the account only; returns the address it
   * was sent to, which is the one to restore.
   */
  async consumeRevert(token: string, now = new Date()): Promise<{ user: User; address: string } | null> {
    const stored = await this.find(token, 'email_revert');
    if (!stored || stored.usedAt || stored.expiresAt <= now || stored.user.deletedAt) return null;
    const claimed = await this.em.nativeUpdate(
      AccountToken,
      { id: stored.id, usedAt: null },
      { usedAt: now },
    );
    return claimed === 1 ? { user: stored.user, address: stored.email } : null;
  }

  private find(token: string, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
    return this.em.findOne(AccountToken, { tokenHash: hashToken(token), purpose }, { populate: ['user'] });
  }

  private usable(stored: AccountToken, now: Date): boolean {
    return (
      !stored.usedAt && stored.expiresAt > now && stored.user.email === stored.email && !stored.user.deletedAt
    );
  }
}

/** The web-app page that opens each kind of mailed link. */
const LINK_PATHS: Record<AccountTokenPurpose, string> = {
  verify_email: 'verify-email',
  password_reset: 'reset-password',
  email_revert: 'revert-email',
  unlock: 'unlock-account',
};

/** A link to the web app carrying a token in its query string. */
export function tokenLink(baseUrl: string, path: string, token: string): string {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}
