import { ROLES } from '@platform/contracts';
import { sessions, trustedDevices, users, type EntityManager, type User } from '@platform/db';
import { assertThat, auditEntry, Errors, type AuditContext } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';
import { isActiveAdmin, lastAdmin, lockActiveAdmins } from './admin-guard.js';

/** One admin change to an existing account. */
export interface Edit {
  /** The audit record's action, e.g. `user.lock`. */
  action: string;
  /** Which event tells other services: `user.updated` with the changed fields, or a lifecycle event. */
  event: 'updated' | 'deleted' | 'restored';
  /** Refuses before anything changes (throw an AppError). */
  guard?(user: User): void;
  /** Changes the entity; changing nothing is allowed and makes the call a no-op. */
  apply(user: User): void;
  /** More work inside the transaction, run only when a field changed. */
  onChange?(tx: EntityManager, user: User): Promise<void>;
  /** Audit even an unchanged account (unlock also clears Redis state the entity does not show). */
  alwaysAudit?: boolean;
}

const FIELDS = ['displayName', 'role', 'status', 'deletedAt'] as const;
type Field = (typeof FIELDS)[number];
type Snapshot = Pick<User, Field>;

function snapshot(user: User): Snapshot {
  return { displayName: user.displayName, role: user.role, status: user.status, deletedAt: user.deletedAt };
}

/** JSON-friendly values of `fields` for the audit record. */
function pick(state: Snapshot, fields: Field[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = state[field];
      return [field, value instanceof Date ? value.toISOString() : value];
    }),
  );
}

const rank = (role: User['role']) => ROLES.indexOf(role);

/**
 * Why the account's sessions must end, if they must: a suspended or deleted account signs out
 * everywhere, and a demoted one too, because its access tokens still carry the old role.
 */
function revocationReason(before: Snapshot, after: Snapshot): string | null {
  if (after.deletedAt) return 'account_deleted';
  if (after.status === 'suspended') return 'account_suspended';
  if (rank(after.role) > rank(before.role)) return 'role_changed';
  return null;
}

/**
 * Runs edits the same way: in one transaction that first locks the active admins (see
 * `lockActiveAdmins`) and the target, applies the change, refuses to remove the last active admin,
 * revokes sessions (and, on suspension or deletion, trusted devices) when the account loses access, and stages the event and the audit record so the
 * change and what announces it commit together. Sessions go on the denylist after the commit.
 */
export class UserEditor {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
    private readonly denylist: Denylist,
  ) {}

  async run(id: string, audit: AuditContext, edit: Edit): Promise<User> {
    const revoked: string[] = [];
    // A fresh fork, so a refused edit leaves nothing behind in the request's entity manager.
    const user = await this.em.fork().transactional(async (tx) => {
      const admins = await lockActiveAdmins(tx);
      const target = await users.findById(tx, id, { lock: true });
      assertThat(target, () => Errors.notFound('No such user.'));
      edit.guard?.(target);
      const before = snapshot(target);
      edit.apply(target);
      const after = snapshot(target);
      const changes = FIELDS.filter((field) => before[field] !== after[field]);
      const removesAdmin = isActiveAdmin(before) && !isActiveAdmin(after);
      assertThat(!removesAdmin || admins.length > 1, lastAdmin);

      const reason = revocationReason(before, after);
      let devicesForgotten = 0;
      if (reason) revoked.push(...(await sessions.revokeAllFor(tx, this.events, target.id, reason)));
      // A suspension or deletion takes the account away: its trusted devices go with it.
      if (reason && reason !== 'role_changed')
        devicesForgotten = await trustedDevices.forgetAllFor(tx, target.id);
      if (changes.length > 0) {
        await edit.onChange?.(tx, target);
        this.stageEvent(tx, edit, target, changes);
      }
      if (changes.length > 0 || revoked.length > 0 || edit.alwaysAudit) {
        const afterFields = pick(after, changes);
        if (revoked.length > 0) afterFields.sessionsRevoked = revoked.length;
        if (devicesForgotten > 0) afterFields.devicesForgotten = devicesForgotten;
        this.events.stage(
          tx,
          'log.audit',
          auditEntry(audit, {
            action: edit.action,
            targetId: id,
            before: pick(before, changes),
            after: afterFields,
          }),
        );
      }
      return target;
    });
    await this.denylist.revokeSessions(revoked);
    return user;
  }

  private stageEvent(tx: EntityManager, edit: Edit, user: User, changes: Field[]): void {
    const userId = user.id;
    if (edit.event === 'deleted') this.events.stage(tx, 'user.deleted', { userId, reason: 'admin' });
    else if (edit.event === 'restored') this.events.stage(tx, 'user.restored', { userId });
    else this.events.stage(tx, 'user.updated', { userId, changes });
  }
}
