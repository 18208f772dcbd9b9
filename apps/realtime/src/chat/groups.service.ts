import { randomUUID } from 'node:crypto';
import { MAX_GROUP_NAME } from '@platform/contracts';
import type { UserDirectory } from '../users/user-directory.js';
import { iso, type Db } from './chat-db.js';
import type { ChatFanout } from './chat-fanout.js';
import { ChatError, type Actor, type GroupView, type MemberRole, type MemberView } from './chat.types.js';
import { findMember, type ConversationRow } from './conversations.queries.js';
import { notFound } from './conversations.service.js';
import {
  deleteMember,
  findGroup,
  insertMember,
  memberRecords,
  membersByTenure,
  updateRole,
} from './groups.queries.js';
import { isUuid } from './ids.js';
import { displayText } from './text.js';

/** The name a member list shows for an account that no longer exists. */
const DELETED_ACCOUNT = 'Deleted account';

type MemberEvent = 'joined' | 'left' | 'removed' | 'role_changed';

/**
 * Groups and their members (see the doc comments on ChatService). Membership changes of one group run
 * one at a time under its row lock, so member counts and the last-owner rule hold under concurrency.
 * Owners have equal rights, as Slack's channel managers do: any owner may make a member owner or an
 * owner member (the last owner excepted), so removing another owner takes two steps, demote then remove.
 */
export class GroupsService {
  constructor(
    private readonly db: () => Db,
    private readonly fanout: ChatFanout,
    private readonly maxMembers: number,
    private readonly users: UserDirectory,
  ) {}

  /**
   * The name is display-safe like message text (escaped, no control characters). `memberIds` is a set:
   * repeats and the actor themselves are ignored; every other id must be an active user (`not_found`).
   */
  async create(actor: Actor, rawName: string, memberIds: readonly string[]): Promise<GroupView> {
    const checked = displayText(typeof rawName === 'string' ? rawName : '', MAX_GROUP_NAME);
    if (!checked.ok) throw new ChatError('validation_failed', `name: ${checked.reason}`);
    if (!Array.isArray(memberIds)) throw new ChatError('validation_failed', 'members must be a list');
    if (!memberIds.every(isUuid)) throw notFound('user');
    const others = [...new Set(memberIds.map((id) => id.toLowerCase()))].filter((id) => id !== actor.userId);
    if (others.length + 1 > this.maxMembers) {
      throw new ChatError('group_full', `A group has at most ${this.maxMembers} members.`);
    }
    const db = this.db();
    const active = await this.users.activeIds(others);
    if (others.some((id) => !active.has(id))) throw notFound('user');
    const id = randomUUID();
    await db.transaction(async (trx) => {
      await trx('conversations').insert({ id, kind: 'group', name: checked.text, created_by: actor.userId });
      await trx('conversation_members').insert([
        { conversation_id: id, user_id: actor.userId, role: 'owner' },
        ...others.map((userId) => ({ conversation_id: id, user_id: userId, role: 'member' })),
      ]);
    });
    const view = await this.load(db, id);
    if (!view) throw notFound('group');
    const audience = view.members.map((member) => member.userId);
    for (const member of view.members) {
      this.announce(audience, id, member.userId, member.role, 'joined', actor);
    }
    return view;
  }

  async group(actor: Actor, groupId: string): Promise<GroupView> {
    if (!isUuid(groupId)) throw notFound('group');
    const view = await this.load(this.db(), groupId.toLowerCase());
    if (!view?.members.some((member) => member.userId === actor.userId)) throw notFound('group');
    return view;
  }

  async addMember(actor: Actor, groupId: string, userId: string): Promise<MemberView> {
    if (!isUuid(userId)) throw notFound('user');
    const newcomer = userId.toLowerCase();
    const db = this.db();
    // Asked before the group's lock is taken: a call to users never runs while the lock is held.
    const active = (await this.users.activeIds([newcomer])).has(newcomer);
    const { group, audience } = await db.transaction(async (trx) => {
      const { group } = await this.asOwner(trx, actor, groupId);
      if (!active) throw notFound('user');
      if (await findMember(trx, group.id, newcomer)) {
        throw new ChatError('conflict', 'That user is already a member.');
      }
      const members = await membersByTenure(trx, group.id);
      if (members.length >= this.maxMembers) {
        throw new ChatError('group_full', `A group has at most ${this.maxMembers} members.`);
      }
      await insertMember(trx, group, newcomer, 'member');
      return { group, audience: [...members.map((member) => member.user_id), newcomer] };
    });
    const [member] = await this.memberViews(db, group.id, newcomer);
    if (!member) throw notFound('member');
    this.announce(audience, group.id, newcomer, 'member', 'joined', actor);
    return member;
  }

  /**
   * Anyone may leave; owners remove members, and an owner only once demoted (`setRole`), so no owner is
   * removed in one step. When the last owner leaves, the longest-standing remaining member becomes
   * owner (announced as `role_changed`, by the leaver).
   */
  async removeMember(actor: Actor, groupId: string, userId: string): Promise<void> {
    const leaving = isUuid(userId) && userId.toLowerCase() === actor.userId;
    const db = this.db();
    const outcome = await db.transaction(async (trx) => {
      const { group, me } = await this.asMember(trx, actor, groupId);
      const target = leaving
        ? me
        : isUuid(userId)
          ? await findMember(trx, group.id, userId.toLowerCase())
          : null;
      if (!target) throw notFound('member');
      if (!leaving && me.role !== 'owner')
        throw new ChatError('forbidden', 'Only an owner can remove members.');
      if (!leaving && target.role === 'owner')
        throw new ChatError('forbidden', 'Owners cannot remove owners.');
      await deleteMember(trx, group.id, target.user_id);
      const remaining = await membersByTenure(trx, group.id);
      const heir = remaining.some((member) => member.role === 'owner') ? undefined : remaining[0];
      if (heir) await updateRole(trx, group.id, heir.user_id, 'owner');
      return { group, removed: target.user_id, remaining: remaining.map((member) => member.user_id), heir };
    });
    const { group, removed, remaining, heir } = outcome;
    this.announce([...remaining, removed], group.id, removed, null, leaving ? 'left' : 'removed', actor);
    if (heir) this.announce(remaining, group.id, heir.user_id, 'owner', 'role_changed', actor);
  }

  /**
   * Owners only, on anyone, other owners included (equal rights); the last owner cannot step down
   * (`last_owner`). Setting the current role changes nothing.
   */
  async setRole(actor: Actor, groupId: string, userId: string, role: MemberRole): Promise<MemberView> {
    if (role !== 'owner' && role !== 'member') throw new ChatError('validation_failed', 'Unknown role.');
    if (!isUuid(userId)) throw notFound('member');
    const subject = userId.toLowerCase();
    const db = this.db();
    const { group, audience, changed } = await db.transaction(async (trx) => {
      const { group } = await this.asOwner(trx, actor, groupId);
      const target = await findMember(trx, group.id, subject);
      if (!target) throw notFound('member');
      const members = await membersByTenure(trx, group.id);
      const audience = members.map((member) => member.user_id);
      if (target.role === role) return { group, audience, changed: false };
      if (role === 'member' && members.filter((member) => member.role === 'owner').length <= 1) {
        throw new ChatError('last_owner', 'A group needs an owner; make someone else owner first.');
      }
      await updateRole(trx, group.id, subject, role);
      return { group, audience, changed: true };
    });
    const [member] = await this.memberViews(db, group.id, subject);
    if (!member) throw notFound('member');
    if (changed) this.announce(audience, group.id, subject, role, 'role_changed', actor);
    return member;
  }

  private async load(db: Db, groupId: string): Promise<GroupView | null> {
    const group = await findGroup(db, groupId);
    if (!group) return null;
    return {
      id: group.id,
      name: group.name ?? '',
      createdBy: group.created_by,
      createdAt: iso(group.created_at),
      members: await this.memberViews(db, group.id),
    };
  }

  /**
   * Members with their display names from users, in one batched call. A member whose account was
   * deleted has no name there any more and shows as "Deleted account".
   */
  private async memberViews(db: Db, groupId: string, userId?: string): Promise<MemberView[]> {
    const records = await memberRecords(db, groupId, userId);
    const names = await this.users.displayNames(records.map((record) => record.userId));
    return records.map((record) => ({ ...record, displayName: names.get(record.userId) ?? DELETED_ACCOUNT }));
  }

  /** The locked group and the actor's membership; a group they are not in is `not_found`. */
  private async asMember(trx: Db, actor: Actor, groupId: string) {
    if (!isUuid(groupId)) throw notFound('group');
    const group: ConversationRow | undefined = await findGroup(trx, groupId.toLowerCase(), true);
    const me = group ? await findMember(trx, group.id, actor.userId) : undefined;
    if (!group || !me) throw notFound('group');
    return { group, me };
  }

  private async asOwner(trx: Db, actor: Actor, groupId: string) {
    const membership = await this.asMember(trx, actor, groupId);
    if (membership.me.role !== 'owner') throw new ChatError('forbidden', 'Only an owner can do that.');
    return membership;
  }

  private announce(
    userIds: readonly string[],
    groupId: string,
    userId: string,
    role: MemberRole | null,
    event: MemberEvent,
    actor: Actor,
  ): void {
    this.fanout.publish(
      { scope: 'users', userIds: [...userIds] },
      {
        type: 'chat.member',
        conversationId: groupId,
        channel: groupId,
        userId,
        role,
        event,
        by: actor.userId,
      },
    );
  }
}
