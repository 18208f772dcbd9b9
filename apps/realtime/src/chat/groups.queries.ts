import { iso, num, rowsOf, type Db } from './chat-db.js';
import type { MemberRole } from './chat.types.js';
import { findConversation, type ConversationRow } from './conversations.queries.js';

/** A member as the database knows them; the name comes from users (GroupsService adds it). */
export interface MemberRecord {
  userId: string;
  role: MemberRole;
  joinedAt: string;
  lastReadSeq: number;
}

interface MemberRow {
  user_id: string;
  role: MemberRole;
  joined_at: string;
  last_read_seq: string;
}

/** Longest-standing first; the owner first among those who joined together (at creation). */
const MEMBER_ORDER = "cm.joined_at, cm.role = 'owner' desc, cm.user_id";

/** A group by id; `lock` serialises membership changes of one group (counts, the last owner). */
export async function findGroup(db: Db, id: string, lock = false): Promise<ConversationRow | undefined> {
  const conversation = await findConversation(db, id, { lock });
  return conversation?.kind === 'group' ? conversation : undefined;
}

/** The group's members, longest-standing first (or just `userId`). */
export async function memberRecords(db: Db, groupId: string, userId?: string): Promise<MemberRecord[]> {
  const only = userId === undefined ? '' : 'and cm.user_id = ?';
  const rows = await rowsOf<MemberRow>(
    db,
    `select cm.user_id, cm.role, cm.joined_at, cm.last_read_seq
     from conversation_members cm
     where cm.conversation_id = ? ${only}
     order by ${MEMBER_ORDER}`,
    userId === undefined ? [groupId] : [groupId, userId],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    role: row.role,
    joinedAt: iso(row.joined_at),
    lastReadSeq: num(row.last_read_seq),
  }));
}

/** Members and roles, longest-standing first: who hears about a change, and who is next in line. */
export function membersByTenure(db: Db, groupId: string): Promise<{ user_id: string; role: MemberRole }[]> {
  return rowsOf(
    db,
    `select cm.user_id, cm.role from conversation_members cm where cm.conversation_id = ? order by ${MEMBER_ORDER}`,
    [groupId],
  );
}

/** Adds a member whose pointers start at the group's end: joining does not make old messages unread. */
export async function insertMember(
  trx: Db,
  group: ConversationRow,
  userId: string,
  role: MemberRole,
): Promise<void> {
  await trx('conversation_members').insert({
    conversation_id: group.id,
    user_id: userId,
    role,
    last_read_seq: group.last_seq,
    last_delivered_seq: group.last_seq,
  });
}

export async function updateRole(trx: Db, groupId: string, userId: string, role: MemberRole): Promise<void> {
  await trx('conversation_members').where({ conversation_id: groupId, user_id: userId }).update({ role });
}

export async function deleteMember(trx: Db, groupId: string, userId: string): Promise<void> {
  await trx('conversation_members').where({ conversation_id: groupId, user_id: userId }).delete();
}
