import type { Redis } from 'ioredis';
import { identifierLockoutKeys } from '@platform/contracts';
import type { CreateUserBody, UpdateUserBody } from '@platform/contracts';
import { AccountTokens, users, type EntityManager, type User } from '@platform/db';
import { AppError, auditEntry, type AuditContext } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';
import { UserEditor, type Edit } from './user-editor.js';

export interface InviteSettings {
  /** The web app's base URL; the invitation opens its reset-password page. */
  publicWebUrl: string;
  inviteTtlSeconds: number;
}

const userDeleted = () =>
  new AppError('user_deleted', 'This account is deleted; restore it before changing it.');

/** Refuses edits to a soft-deleted account: only restore brings it back. */
const notDeleted = (user: User) => {
  if (user.deletedAt) throw userDeleted();
};

/** Write side of user administration: invite, edit, lock, unlock, delete and restore accounts. */
export class AccountAdminService {
  private readonly editor: UserEditor;

  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
    private readonly events: EventSink,
    denylist: Denylist,
    private readonly settings: InviteSettings,
  ) {
    this.editor = new UserEditor(em, events, denylist);
  }

  /**
   * Creates an account without a password and invites its owner to set one: the account, the
   * single-use link, `user.registered`, the mail and the audit record are one transaction.
   */
  async create(input: CreateUserBody, audit: AuditContext): Promise<User> {
    const em = this.em.fork();
    const { email, role } = input;
    const displayName = input.displayName ?? (email.split('@')[0] || email).slice(0, 100);
    const { inviteTtlSeconds, publicWebUrl } = this.settings;
    // The unique index decides (409 email_taken): a check before the insert could race another create.
    return users.insert(em, { email, role, displayName, passwordHash: null }, (user) => {
      const invite = new AccountTokens(em).issueLink(user, 'password_reset', inviteTtlSeconds, publicWebUrl);
      this.events.stage(em, 'user.registered', { userId: user.id, email, role, displayName });
      this.events.stage(em, 'email.send', {
        template: 'account_invite',
        to: email,
        userId: user.id,
        displayName,
        setPasswordUrl: invite.url,
        expiresAt: invite.expiresAt,
      });
      this.events.stage(
        em,
        'log.audit',
        auditEntry(audit, { action: 'user.create', targetId: user.id, after: { email, role, displayName } }),
      );
    });
  }

  /** Changes name, role and/or status; the caller has checked that a role change is allowed. */
  update(id: string, changes: UpdateUserBody, audit: AuditContext): Promise<User> {
    return this.editor.run(id, audit, {
      action: 'user.update',
      event: 'updated',
      guard: notDeleted,
      apply: (user) => {
        if (changes.displayName !== undefined) user.displayName = changes.displayName;
        if (changes.role !== undefined) user.role = changes.role;
        if (changes.status !== undefined) user.status = changes.status;
      },
    });
  }

  /** Suspends the account and ends its sessions (PATCH with `status: suspended`, under its own name). */
  lock(id: string, audit: AuditContext): Promise<User> {
    return this.editor.run(id, audit, {
      action: 'user.lock',
      event: 'updated',
      guard: notDeleted,
      apply: (user) => {
        user.status = 'suspended';
      },
    });
  }

  /**
   * Reactivates a suspended account and clears auth's brute-force lockout of its address, the other
   * way an owner can be shut out. The keys go after the commit: if that fails, nothing was unlocked.
   */
  async unlock(id: string, audit: AuditContext): Promise<User> {
    const unlock: Edit = {
      action: 'user.unlock',
      event: 'updated',
      guard: notDeleted,
      alwaysAudit: true,
      apply: (user) => {
        if (user.status === 'suspended') user.status = 'active';
      },
    };
    const user = await this.editor.run(id, audit, unlock);
    await this.redis.del(...identifierLockoutKeys(user.email));
    return user;
  }

  /**
   * Soft delete: the row and its data stay (and the address stays taken, by the unique index), the
   * account stops working, and links already mailed to it stop working too.
   */
  remove(id: string, audit: AuditContext): Promise<User> {
    return this.editor.run(id, audit, {
      action: 'user.delete',
      event: 'deleted',
      apply: (user) => {
        if (user.deletedAt) return;
        user.status = 'deactivated';
        user.deletedAt = new Date();
      },
      onChange: async (tx, user) => {
        const tokens = new AccountTokens(tx);
        await tokens.revokeAll(user, 'password_reset');
        await tokens.revokeAll(user, 'verify_email');
      },
    });
  }

  /** Brings a soft-deleted account back as active; restoring a live account changes nothing. */
  restore(id: string, audit: AuditContext): Promise<User> {
    return this.editor.run(id, audit, {
      action: 'user.restore',
      event: 'restored',
      apply: (user) => {
        if (!user.deletedAt) return;
        user.status = 'active';
        user.deletedAt = null;
      },
    });
  }
}
