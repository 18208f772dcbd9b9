import { randomBytes, randomUUID } from 'node:crypto';
import {
  AccountTokens,
  hashToken,
  TrustedDevice,
  trustedDevices,
  type EntityManager,
  type User,
} from '@platform/db';
import { AppError, assertThat, auditEntry, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from './accounts.service.js';

export interface TrustedDeviceSettings {
  /** A device unused for this long is no longer trusted (the window slides with every sign-in). */
  ttlSeconds: number;
}

/** The most devices one account keeps; signing in from a new one forgets the least recently used. */
export const MAX_TRUSTED_DEVICES = 20;

const invalidLink = () => new AppError('invalid_link', 'This link is invalid, used or expired.');

/**
 * Devices that completed a sign-in (or followed a mailed unlock link) for an account. The device token
 * is 256 random bits, stored only as SHA-256, and rotated on every sign-in through the device. A
 * login presenting it is counted against the device's own lockout budget (see `reserveAttempt`).
 */
export class TrustedDevices {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
    readonly settings: TrustedDeviceSettings,
  ) {}

  /**
   * The live device behind `token` if it belongs to the account whose normalised email is `email`,
   * else null. Unknown, expired and another account's tokens are all null, so a caller treats them
   * exactly like no token: nothing tells a stranger which one it was.
   */
  async recognise(token: string, email: string, now = new Date()): Promise<TrustedDevice | null> {
    const device = await this.em.findOne(
      TrustedDevice,
      { tokenHash: hashToken(token) },
      { populate: ['user'] },
    );
    if (!device || device.user.email !== email || device.user.deletedAt) return null;
    return this.live(device, now) ? device : null;
  }

  /** Whether a device recognised at the password step is still trusted for the second. */
  async stillTrusted(deviceId: string, userId: string, now = new Date()): Promise<boolean> {
    const device = await this.em.findOne(TrustedDevice, { id: deviceId, user: userId });
    return device !== null && this.live(device, now);
  }

  /**
   * After a complete sign-in: rotates the token of the device it came through, or trusts a new one.
   * Written by the caller's flush; returns the token in clear, for the response and the cookie.
   */
  async remember(user: User, deviceId: string | null, meta: RequestMeta, now = new Date()): Promise<string> {
    const device = deviceId ? await this.em.findOne(TrustedDevice, { id: deviceId, user: user.id }) : null;
    if (!device) return this.trust(user, 'sign_in', meta, now);
    const token = newDeviceToken();
    device.tokenHash = hashToken(token);
    device.lastUsedAt = now;
    return token;
  }

  /**
   * Uses up a mailed unlock link and trusts the browser that opened it: it signs in even while a
   * stranger keeps the identifier locked. The identifier's lock itself stays (README explains why).
   */
  async unlock(token: string, meta: RequestMeta): Promise<{ deviceToken: string }> {
    const user = await new AccountTokens(this.em).consume(token, 'unlock');
    assertThat(user && user.status === 'active' && !user.deletedAt, invalidLink);
    const deviceToken = await this.trust(user, 'unlock_link', meta);
    await this.em.flush();
    return { deviceToken };
  }

  /** The caller's trusted devices, most recently used first. */
  async list(userId: string, now = new Date()) {
    const devices = await this.em.find(
      TrustedDevice,
      { user: userId, lastUsedAt: { $gt: this.oldestLive(now) } },
      { orderBy: { lastUsedAt: 'desc' } },
    );
    return devices.map((d) => ({
      id: d.id,
      device: d.userAgent,
      createdAt: d.createdAt.toISOString(),
      lastUsedAt: d.lastUsedAt.toISOString(),
    }));
  }

  /** Forgets one of the caller's own devices; someone else's looks exactly like a missing one. */
  async revokeOwn(userId: string, deviceId: string, meta: RequestMeta): Promise<void> {
    const removed = await this.em.nativeDelete(TrustedDevice, { id: deviceId, user: userId });
    assertThat(removed === 1, () => Errors.notFound('No such device.'));
    this.audit(meta, userId, 'device.revoke', { deviceId, reason: 'revoked_by_user' });
    await this.em.flush();
  }

  /**
   * Forgets every device of the account (password reset or change, deactivation): a stolen device must
   * not outlive the proof of ownership. Staged on the caller's unit of work (gone with its flush, or
   * not at all), audited there.
   */
  async revokeAll(userId: string, reason: string, meta: RequestMeta): Promise<void> {
    const removed = await trustedDevices.forgetAllFor(this.em, userId);
    if (removed > 0) this.audit(meta, userId, 'device.revoke_all', { reason, count: removed });
  }

  private async trust(user: User, via: 'sign_in' | 'unlock_link', meta: RequestMeta, now = new Date()) {
    await this.forgetStale(user.id, now);
    const token = newDeviceToken();
    const device = this.em.create(TrustedDevice, {
      id: randomUUID(),
      user,
      tokenHash: hashToken(token),
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastUsedAt: now,
    });
    this.audit(meta, user.id, 'device.trusted', { deviceId: device.id, via });
    return token;
  }

  /** Drops expired devices and all but the newest MAX_TRUSTED_DEVICES - 1, making room for one. */
  private async forgetStale(userId: string, now: Date): Promise<void> {
    await this.em.nativeDelete(TrustedDevice, { user: userId, lastUsedAt: { $lte: this.oldestLive(now) } });
    const excess = await this.em.find(
      TrustedDevice,
      { user: userId },
      { orderBy: { lastUsedAt: 'desc' }, offset: MAX_TRUSTED_DEVICES - 1, limit: 1000, fields: ['id'] },
    );
    if (excess.length > 0)
      await this.em.nativeDelete(TrustedDevice, { id: { $in: excess.map((d) => d.id) } });
  }

  private live(device: TrustedDevice, now: Date): boolean {
    return device.lastUsedAt > this.oldestLive(now);
  }

  private oldestLive(now: Date): Date {
    return new Date(now.getTime() - this.settings.ttlSeconds * 1000);
  }

  private audit(meta: RequestMeta, userId: string, action: string, after: Record<string, unknown>): void {
    this.events.stage(
      this.em,
      'log.audit',
      auditEntry(meta, { action, actorId: userId, targetId: userId, after }),
    );
  }
}

/** 256 random bits, base64url: as strong as a refresh token, safe in a cookie and a JSON body. */
function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}
