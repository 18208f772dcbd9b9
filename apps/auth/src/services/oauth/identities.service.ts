import { OAuthIdentity, users, type EntityManager } from '@platform/db';
import { assertThat, auditEntry, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from '../accounts.service.js';

/** A linked sign-in as its owner sees it. */
export interface IdentityView {
  provider: string;
  email: string | null;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** The caller's own linked provider identities: list and unlink. */
export class IdentitiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
  ) {}

  async list(userId: string): Promise<IdentityView[]> {
    const rows = await this.em.find(OAuthIdentity, { user: userId }, { orderBy: { createdAt: 'asc' } });
    return rows.map(({ provider, email, createdAt, lastLoginAt }) => ({
      provider,
      email,
      createdAt,
      lastLoginAt,
    }));
  }

  /**
   * Unlinks a provider, unless it is the account's last way in (no password, no other identity).
   * The user row is locked for the check, so two unlinks at once cannot both remove "the other one".
   */
  async unlink(userId: string, provider: string, meta: RequestMeta): Promise<void> {
    await this.em.transactional(async (em) => {
      const user = await users.findById(em, userId, { withPassword: true, lock: true });
      const identity = await em.findOne(OAuthIdentity, { user: userId, provider });
      assertThat(identity, () => Errors.notFound('No sign-in of this provider is linked to your account.'));
      const others = await em.count(OAuthIdentity, { user: userId, provider: { $ne: provider } });
      assertThat(user?.passwordHash || others > 0, () =>
        Errors.conflict(
          'last_sign_in_method',
          'This is the only way to sign in to your account; set a password or link another provider first.',
        ),
      );
      em.remove(identity);
      this.events.stage(
        em,
        'log.audit',
        auditEntry(meta, {
          action: 'oauth.unlink',
          actorId: userId,
          targetId: userId,
          before: { provider, email: identity.email },
        }),
      );
    });
  }
}
