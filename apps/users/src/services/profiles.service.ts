import { mediaPaths, type AccessClaims, type MediaUrlSigning, type ProfilePatch } from '@platform/contracts';
import {
  AccountTokens,
  mailVerificationLink,
  Media,
  sessions,
  toPublicUser,
  users,
  type EntityManager,
  type User,
} from '@platform/db';
import { assertRecentAuth, assertThat, auditEntry, Errors, type AuditContext } from '@platform/http';
import type { EventSink } from '@platform/runtime';

/** A caller's own profile and data. */
export class ProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
    private readonly settings: {
      publicWebUrl: string;
      verificationTtlSeconds: number;
      /** How long the old address can undo an email change. */
      revertTtlSeconds: number;
      /** A new email address needs a sign-in (or step-up) at most this old. */
      stepUpMaxAgeSeconds: number;
      /** Signs an uploaded avatar's URL. */
      mediaUrls: MediaUrlSigning;
    },
  ) {}

  async get(userId: string) {
    return toPublicUser(await this.find(userId), this.settings.mediaUrls);
  }

  /**
   * Applies a profile change. A new email address is unverified until the link mailed to it is used;
   * links sent to the old address stop working (they are bound to the address they went to). The
   * address is the key to the account (password resets go there), so changing it needs a recent
   * sign-in: a stolen access token alone cannot take the account over.
   */
  async update(caller: AccessClaims, patch: ProfilePatch, audit: AuditContext) {
    const userId = caller.sub;
    const user = await this.find(userId);
    const changes: string[] = [];
    if (patch.email !== undefined && patch.email !== user.email) {
      assertRecentAuth(caller, this.settings.stepUpMaxAgeSeconds);
      this.changeEmail(user, patch.email, patch.displayName ?? user.displayName, audit);
      changes.push('email');
    }
    if (patch.displayName !== undefined && patch.displayName !== user.displayName) {
      user.displayName = patch.displayName;
      changes.push('displayName');
    }
    const avatar =
      patch.avatarMediaId === undefined ? patch.avatarUrl : await this.avatarOf(userId, patch.avatarMediaId);
    if (avatar !== undefined && avatar !== user.avatarUrl) {
      user.avatarUrl = avatar;
      changes.push('avatarUrl');
    }
    const statusText = patch.status === undefined ? undefined : patch.status || null;
    if (statusText !== undefined && statusText !== user.statusText) {
      user.statusText = statusText;
      changes.push('status');
    }
    if (changes.length) {
      this.events.stage(this.em, 'user.updated', { userId, changes });
      await users.commit(this.em);
    }
    return toPublicUser(user, this.settings.mediaUrls);
  }

  /**
   * Moves the account to a new address: a verification link goes to the new one, and the old one is
   * told, with a link that undoes the change and signs every session out (POST /email/revert in
   * auth): if someone else made the change, that mail is the owner's way back in.
   */
  private changeEmail(user: User, email: string, displayName: string, audit: AuditContext): void {
    const { revertTtlSeconds, publicWebUrl } = this.settings;
    const oldEmail = user.email;
    // Issued before the change: the revert link is bound to the address it is mailed to.
    const revert = new AccountTokens(this.em).issueLink(user, 'email_revert', revertTtlSeconds, publicWebUrl);
    user.email = email;
    user.emailVerifiedAt = null;
    const record = auditEntry(audit, {
      action: 'email.change',
      targetId: user.id,
      before: { email: oldEmail },
      after: { email },
    });
    mailVerificationLink(this.em, this.events, user, 'verify_email', this.settings, displayName);
    this.events.stage(this.em, 'email.send', {
      template: 'email_changed',
      to: oldEmail,
      userId: user.id,
      displayName,
      newEmail: email,
      at: new Date().toISOString(),
      ip: record.ip,
      revertUrl: revert.url,
      expiresAt: revert.expiresAt,
    });
    this.events.stage(this.em, 'log.audit', record);
  }

  /** Everything we hold about the caller that they may see: profile and sessions. */
  async export(userId: string) {
    const user = await this.find(userId);
    const list = await sessions.listFor(this.em, userId);
    return {
      profile: toPublicUser(user, this.settings.mediaUrls),
      sessions: list.map((s) => ({
        id: s.id,
        device: s.userAgent,
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        revokedAt: s.revokedAt?.toISOString() ?? null,
      })),
      exportedAt: new Date().toISOString(),
    };
  }

  /**
   * The avatar URL of one of the caller's own `avatar` uploads (processing or ready; worker-media makes
   * its square crops), marked attached so the purge keeps it. Anyone else's upload is a 404.
   */
  private async avatarOf(userId: string, mediaId: string | null): Promise<string | null> {
    if (mediaId === null) return null;
    const media = await this.em.findOne(Media, { id: mediaId, ownerId: userId, deletedAt: null });
    assertThat(media, () => Errors.notFound('No such upload.'));
    const usable = media.purpose === 'avatar' && media.status !== 'failed';
    assertThat(usable, () =>
      Errors.validation([
        { path: 'avatarMediaId', message: 'must be an image uploaded with purpose avatar' },
      ]),
    );
    media.attachedAt ??= new Date();
    // Stored unsigned: it is signed afresh each time it is shown.
    return mediaPaths(media.id).thumbnail;
  }

  private async find(userId: string): Promise<User> {
    const user = await users.findExistingById(this.em, userId);
    assertThat(user, () => Errors.notFound('This account no longer exists.'));
    return user;
  }
}
