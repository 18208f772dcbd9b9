import type { EventPayload } from '@platform/contracts';
import {
  AccountTokens,
  Session,
  toPublicUser,
  UniqueConstraintViolationException,
  User,
  type EntityManager,
} from '@platform/db';
import { assertThat, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { ProfilePatch } from '@platform/contracts';

/** Builds this request's audit record (actor, IP, user agent) around the given fields. */
export type AuditOf = (fields: {
  action: string;
  targetId: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}) => EventPayload<'log.audit'>;

/** A caller's own profile and data. */
export class ProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
    private readonly links: { publicWebUrl: string; verificationTtlSeconds: number },
  ) {}

  async get(userId: string) {
    return toPublicUser(await this.find(userId));
  }

  /**
   * Applies a profile change. A new email address is unverified until the link mailed to it is used;
   * links sent to the old address stop working (they are bound to the address they went to).
   */
  async update(userId: string, patch: ProfilePatch, audit: AuditOf) {
    const user = await this.find(userId);
    const changes: string[] = [];
    if (patch.email !== undefined && patch.email !== user.email) {
      const before = { email: user.email };
      user.email = patch.email;
      user.emailVerifiedAt = null;
      changes.push('email');
      const { verificationTtlSeconds, publicWebUrl } = this.links;
      const link = new AccountTokens(this.em).issueLink(
        user,
        'verify_email',
        verificationTtlSeconds,
        publicWebUrl,
      );
      this.events.stage(this.em, 'email.send', {
        template: 'verify_email',
        to: user.email,
        userId,
        displayName: patch.displayName ?? user.displayName,
        verifyUrl: link.url,
        expiresAt: link.expiresAt,
      });
      this.events.stage(
        this.em,
        'log.audit',
        audit({ action: 'email.change', targetId: userId, before, after: { email: user.email } }),
      );
    }
    if (patch.displayName !== undefined && patch.displayName !== user.displayName) {
      user.displayName = patch.displayName;
      changes.push('displayName');
    }
    if (patch.avatarUrl !== undefined && patch.avatarUrl !== user.avatarUrl) {
      user.avatarUrl = patch.avatarUrl;
      changes.push('avatarUrl');
    }
    const statusText = patch.status === undefined ? undefined : patch.status || null;
    if (statusText !== undefined && statusText !== user.statusText) {
      user.statusText = statusText;
      changes.push('status');
    }
    if (changes.length) {
      this.events.stage(this.em, 'user.updated', { userId, changes });
      try {
        await this.em.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) {
          throw Errors.conflict('email_taken', 'An account with this email already exists.');
        }
        throw error;
      }
    }
    return toPublicUser(user);
  }

  /** Everything we hold about the caller that they may see: profile and sessions. */
  async export(userId: string) {
    const user = await this.find(userId);
    const sessions = await this.em.find(Session, { user: userId }, { orderBy: { createdAt: 'desc' } });
    return {
      profile: toPublicUser(user),
      sessions: sessions.map((s) => ({
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

  private async find(userId: string): Promise<User> {
    const user = await this.em.findOne(User, { id: userId, deletedAt: null });
    assertThat(user, () => Errors.notFound('This account no longer exists.'));
    return user;
  }
}
