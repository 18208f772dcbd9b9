import { randomUUID } from 'node:crypto';
import { displayNameSchema, parseEmail } from '@platform/contracts';
import {
  mailVerificationLink,
  OAuthIdentity,
  UniqueConstraintViolationException,
  users,
  type EntityManager,
  type User,
} from '@platform/db';
import { AppError, assertThat, auditEntry, Errors } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { AccountSettings, RequestMeta } from '../accounts.service.js';
import { invalidCredentials } from '../sign-in-failures.js';
import type { ProviderProfile } from './provider-client.js';

const accountExists = () =>
  Errors.conflict(
    'account_exists',
    'An account with this email already exists. Sign in with your password, then link this provider from your account.',
  );
const providerAlreadyLinked = () =>
  Errors.conflict(
    'provider_already_linked',
    'Another account of this provider is already linked; unlink it first.',
  );

/**
 * Maps a provider's identity to an account: the linked one, an existing account with the same
 * address when both sides have verified it, or a new account. Each outcome is one flush: the rows,
 * their events and audit records together or none of them.
 */
export class IdentityLinker {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
    private readonly settings: AccountSettings,
  ) {}

  /** The active account a provider sign-in is for, linking or creating it on first use. */
  async accountFor(provider: string, profile: ProviderProfile, meta: RequestMeta): Promise<User> {
    const now = new Date();
    const identity = await this.findIdentity(provider, profile.subject);
    if (identity) {
      assertActive(identity.user);
      identity.lastLoginAt = now;
      if (profile.email) identity.email = profile.email;
      await this.em.flush();
      return identity.user;
    }
    const email = profile.email ? parseEmail(profile.email) : undefined;
    assertThat(
      email,
      () => new AppError('email_required', 'The provider did not share a usable email address.'),
    );
    const existing = await users.findByEmail(this.em, email);
    if (existing) {
      assertActive(existing);
      // Linking by address is safe only if both sides proved it: the provider verified it, and so did
      // the account, or someone who pre-registered the address with their own password keeps access.
      assertThat(profile.emailVerified && existing.emailVerifiedAt, accountExists);
      assertThat(!(await this.em.count(OAuthIdentity, { user: existing, provider })), providerAlreadyLinked);
      this.addIdentity(existing, provider, profile, now, meta);
      await this.flush();
      return existing;
    }
    const user = this.createUser(email, provider, profile, meta);
    this.addIdentity(user, provider, profile, now, meta);
    await this.flush();
    return user;
  }

  /** Links a provider to a signed-in user's account (idempotent for the same identity). */
  async linkTo(
    userId: string,
    provider: string,
    profile: ProviderProfile,
    meta: RequestMeta,
  ): Promise<OAuthIdentity> {
    const user = await users.findActiveById(this.em, userId);
    assertThat(user, invalidCredentials);
    const identity = await this.findIdentity(provider, profile.subject);
    if (identity) {
      assertThat(identity.user.id === user.id, () =>
        Errors.conflict('identity_taken', 'This sign-in is already linked to another account.'),
      );
      return identity;
    }
    assertThat(!(await this.em.count(OAuthIdentity, { user, provider })), providerAlreadyLinked);
    const linked = this.addIdentity(user, provider, profile, null, meta);
    await this.flush();
    return linked;
  }

  private findIdentity(provider: string, subject: string): Promise<OAuthIdentity | null> {
    return this.em.findOne(OAuthIdentity, { provider, subject }, { populate: ['user'] });
  }

  private addIdentity(
    user: User,
    provider: string,
    profile: ProviderProfile,
    lastLoginAt: Date | null,
    meta: RequestMeta,
  ): OAuthIdentity {
    const identity = this.em.create(OAuthIdentity, {
      id: randomUUID(),
      user,
      provider,
      subject: profile.subject,
      email: profile.email,
      createdAt: new Date(),
      lastLoginAt,
    });
    this.events.stage(
      this.em,
      'log.audit',
      auditEntry(meta, {
        action: 'oauth.link',
        actorId: user.id,
        targetId: user.id,
        after: { provider, email: profile.email },
      }),
    );
    return identity;
  }

  /**
   * A new account for a first provider sign-in: no password, verified when the provider says so
   * (then the welcome mail carries no verification link), with the same events as a registration.
   */
  private createUser(email: string, provider: string, profile: ProviderProfile, meta: RequestMeta): User {
    const named = displayNameSchema.safeParse(profile.name ?? '');
    const displayName = named.success ? named.data : (email.split('@')[0] ?? email);
    const user = users.stage(this.em, { email, role: 'user', displayName, passwordHash: null });
    if (profile.emailVerified) user.emailVerifiedAt = user.createdAt;
    this.events.stage(this.em, 'user.registered', { userId: user.id, email, role: user.role, displayName });
    mailVerificationLink(this.em, this.events, user, 'welcome', this.settings);
    this.events.stage(
      this.em,
      'log.audit',
      auditEntry(meta, {
        action: 'user.create',
        actorId: user.id,
        targetId: user.id,
        after: { email, role: user.role, provider },
      }),
    );
    return user;
  }

  /** Two first sign-ins racing for one address or identity: the loser is told the account exists. */
  private async flush(): Promise<void> {
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw accountExists();
      throw error;
    }
  }
}

/** Deactivated, suspended and deleted accounts cannot sign in: the same 401 as /login. */
function assertActive(user: User): void {
  assertThat(user.status === 'active' && !user.deletedAt, invalidCredentials);
}
