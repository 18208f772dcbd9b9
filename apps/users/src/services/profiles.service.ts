import { Session, toPublicUser, User, type EntityManager } from '@platform/db';
import { assertThat, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { ProfilePatch } from '../routes/schemas.js';

/** A caller's own profile and data. */
export class ProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
  ) {}

  async get(userId: string) {
    return toPublicUser(await this.find(userId));
  }

  async update(userId: string, patch: ProfilePatch) {
    const user = await this.find(userId);
    const changes: string[] = [];
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
      await this.em.flush();
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
