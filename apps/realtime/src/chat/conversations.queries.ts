import { GLOBAL_CONVERSATION_ID } from '@platform/contracts';
import { firstRow, rowsOf, type Db } from './chat-db.js';
import type { ConversationKind, MemberRole } from './chat.types.js';
import { ALL_MESSAGES } from './message.mapper.js';

export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  name: string | null;
  direct_key: string | null;
  created_by: string | null;
  created_at: string;
  last_seq: string;
}

export interface MemberRow {
  user_id: string;
  role: MemberRole;
  joined_at: string;
  last_read_seq: string;
}

const CONVERSATION_COLUMNS = 'id, kind, name, direct_key, created_by, created_at, last_seq';

/** A conversation by id; `lock` takes its row lock (membership changes of a group run one at a time). */
export function findConversation(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ConversationRow | undefined> {
  const lock = options.lock === true ? ' for update' : '';
  return firstRow<ConversationRow>(
    db,
    `select ${CONVERSATION_COLUMNS} from conversations where id = ?${lock}`,
    [id],
  );
}

export function findDirectByKey(db: Db, directKey: string): Promise<ConversationRow | undefined> {
  return firstRow<ConversationRow>(
    db,
    `select ${CONVERSATION_COLUMNS} from conversations where direct_key = ?`,
    [directKey],
  );
}

/**
 * Creates the pair's direct conversation with both members, unless it exists: a racing creator waits
 * on the unique key, then does nothing, and both read the one row afterwards.
 */
export async function createDirect(trx: Db, id: string, directKey: string, userIds: readonly string[]) {
  const created = await rowsOf(
    trx,
    `insert into conversations (id, kind, direct_key) values (?, 'direct', ?)
     on conflict (direct_key) do nothing returning id`,
    [id, directKey],
  );
  if (created.length === 0) return;
  await trx('conversation_members').insert(
    userIds.map((userId) => ({ conversation_id: id, user_id: userId, role: 'member' })),
  );
}

export async function memberIds(db: Db, conversationId: string): Promise<string[]> {
  const rows = await rowsOf<{ user_id: string }>(
    db,
    'select user_id from conversation_members where conversation_id = ? order by joined_at, user_id',
    [conversationId],
  );
  return rows.map((row) => row.user_id);
}

/**
 * Users who share a direct or group conversation with `userId` (at most `limit`): the ones whose
 * presence a socket of theirs watches without asking. The global channel does not count.
 */
export async function contactIds(db: Db, userId: string, limit: number): Promise<string[]> {
  const rows = await rowsOf<{ user_id: string }>(
    db,
    `select distinct theirs.user_id
       from conversation_members mine
       join conversation_members theirs on theirs.conversation_id = mine.conversation_id
      where mine.user_id = ? and mine.conversation_id <> ? and theirs.user_id <> ?
      limit ?`,
    [userId, GLOBAL_CONVERSATION_ID, userId, limit],
  );
  return rows.map((row) => row.user_id);
}

export function findMember(db: Db, conversationId: string, userId: string): Promise<MemberRow | undefined> {
  return firstRow<MemberRow>(
    db,
    `select user_id, role, joined_at, last_read_seq from conversation_members
     where conversation_id = ? and user_id = ?`,
    [conversationId, userId],
  );
}

/**
 * Gives the user a global member row if they have none, with both pointers at the current end: a new
 * user does not start with the whole history unread.
 */
export async function ensureGlobalMember(db: Db, userId: string): Promise<void> {
  await db.raw(
    `insert into conversation_members (conversation_id, user_id, last_read_seq, last_delivered_seq)
     select id, ?, last_seq, last_seq from conversations where id = ?
     on conflict (conversation_id, user_id) do nothing`,
    [userId, GLOBAL_CONVERSATION_ID],
  );
}

/** A line of the snapshot: the conversation, the caller's membership, its unread count and newest message. */
export interface SummaryRow {
  id: string;
  kind: ConversationKind;
  name: string | null;
  direct_key: string | null;
  last_seq: string;
  role: MemberRole;
  last_read_seq: string;
  unread: string;
  m_id: string | null;
  m_seq: string | null;
  m_author_id: string | null;
  m_body: string | null;
  m_created_at: string | null;
  m_edited_at: string | null;
  m_deleted_at: string | null;
  m_archived: boolean | null;
  m_frozen_reactions: Record<string, number> | null;
}

/** Unread counts stop here: after a long absence, counting all of global on every connect costs too much. */
export const UNREAD_CAP = 1000;

/**
 * Every conversation of the user in one query: global first, then by latest activity (newest message,
 * else when they joined). Direct conversations show once they have a message (typing may create one).
 * `unread` is at most UNREAD_CAP (each count reads at most that many messages).
 */
export function summaryRows(db: Db, userId: string): Promise<SummaryRow[]> {
  return rowsOf<SummaryRow>(
    db,
    `select c.id, c.kind, c.name, c.direct_key, c.last_seq, cm.role, cm.last_read_seq,
       (select count(*) from (
          select 1 from chat_messages u
          where u.conversation_id = c.id and u.seq > cm.last_read_seq
            and u.author_id <> cm.user_id and u.deleted_at is null
          limit ?) capped) as unread,
       lm.id as m_id, lm.seq as m_seq, lm.author_id as m_author_id, lm.body as m_body,
       lm.created_at as m_created_at, lm.edited_at as m_edited_at, lm.deleted_at as m_deleted_at,
       lm.archived as m_archived, lm.frozen_reactions as m_frozen_reactions
     from conversation_members cm
     join conversations c on c.id = cm.conversation_id
     left join lateral (
       select m.id, m.seq, m.author_id, m.body, m.created_at, m.edited_at, m.deleted_at, m.archived,
              m.frozen_reactions
       from ${ALL_MESSAGES} where m.conversation_id = c.id order by m.seq desc limit 1
     ) lm on true
     where cm.user_id = ? and (c.kind <> 'direct' or c.last_seq > 0)
     order by c.kind = 'global' desc, coalesce(lm.created_at, cm.joined_at) desc, c.id`,
    [UNREAD_CAP, userId],
  );
}

/** Raises the user's read pointer (and delivered, to at least it) to `seq`; false if already there. */
export async function raiseRead(
  db: Db,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<boolean> {
  const moved = await rowsOf(
    db,
    `update conversation_members set last_read_seq = ?, last_delivered_seq = greatest(last_delivered_seq, ?)
     where conversation_id = ? and user_id = ? and last_read_seq < ? returning user_id`,
    [seq, seq, conversationId, userId, seq],
  );
  return moved.length > 0;
}

/**
 * Raises the delivered pointer of each of `userIds` to `seq` where it is behind, in one statement (one
 * per fanout message, however many members it reached); returns the users whose pointer moved.
 */
export async function raiseDelivered(
  db: Db,
  conversationId: string,
  userIds: readonly string[],
  seq: number,
): Promise<string[]> {
  const moved = await rowsOf<{ user_id: string }>(
    db,
    `update conversation_members set last_delivered_seq = ?
     where conversation_id = ? and user_id = any(?::uuid[]) and last_delivered_seq < ?
     returning user_id`,
    [seq, conversationId, [...userIds], seq],
  );
  return moved.map((row) => row.user_id);
}
