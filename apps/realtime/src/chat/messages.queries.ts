import { randomUUID } from 'node:crypto';
import { GLOBAL_CONVERSATION_ID, type MediaUrlSigning } from '@platform/contracts';
import { attachmentsOf, withFiles } from './attachments.queries.js';
import { firstRow, num, rowsOf, type Db } from './chat-db.js';
import type { MessageView } from './chat.types.js';
import {
  ALL_MESSAGES,
  ARCHIVE_AWARE_COLUMNS,
  MESSAGE_COLUMNS,
  toMessageView,
  type MessageRow,
} from './message.mapper.js';

/** The hot table only: what writes (edit, delete, react, read marks) look messages up in. */
const SELECT = `select ${MESSAGE_COLUMNS} from chat_messages m join conversations c on c.id = m.conversation_id`;
/** Hot and archived messages: what history, sync and search read. */
const SELECT_ALL = `select ${ARCHIVE_AWARE_COLUMNS} from ${ALL_MESSAGES} join conversations c on c.id = m.conversation_id`;
/** The actor (second binding) may see the message's conversation: global, or one they are a member of. */
const VISIBLE = `(c.kind = 'global' or exists (
  select 1 from conversation_members cm where cm.conversation_id = m.conversation_id and cm.user_id = ?))`;

export function findMessage(db: Db, id: string): Promise<MessageRow | undefined> {
  return firstRow<MessageRow>(db, `${SELECT} where m.id = ?`, [id]);
}

export function findVisibleMessage(db: Db, id: string, userId: string): Promise<MessageRow | undefined> {
  return firstRow<MessageRow>(db, `${SELECT} where m.id = ? and ${VISIBLE}`, [id, userId]);
}

export function findMessageByClientId(
  db: Db,
  authorId: string,
  clientId: string,
): Promise<MessageRow | undefined> {
  return firstRow<MessageRow>(db, `${SELECT} where m.author_id = ? and m.client_id = ?`, [
    authorId,
    clientId,
  ]);
}

/** Emoji counts per message, for a page of messages in one grouped query. */
export async function reactionCounts(
  db: Db,
  messageIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  if (messageIds.length === 0) return counts;
  const rows = (await db('chat_reactions')
    .select('message_id', 'emoji')
    .count({ count: '*' })
    .whereIn('message_id', [...messageIds])
    .groupBy('message_id', 'emoji')
    .orderBy('emoji')) as { message_id: string; emoji: string; count: string | number }[];
  for (const row of rows) {
    const forMessage = counts.get(row.message_id) ?? {};
    forMessage[row.emoji] = num(row.count);
    counts.set(row.message_id, forMessage);
  }
  return counts;
}

/** Views of `rows` in their order, with their reactions (archived ones carry theirs) and attachments. */
export async function withReactions(
  db: Db,
  rows: readonly MessageRow[],
  mediaUrls: MediaUrlSigning,
): Promise<MessageView[]> {
  const live = rows.filter((row) => row.deleted_at === null).map((row) => row.id);
  const hot = rows.filter((row) => row.deleted_at === null && !row.archived).map((row) => row.id);
  const [counts, files] = await Promise.all([reactionCounts(db, hot), attachmentsOf(db, live, mediaUrls)]);
  return rows.map((row) => withFiles(toMessageView(row, counts.get(row.id) ?? {}), files.get(row.id)));
}

/** Up to `limit` + 1 messages before `before` (exclusive; null: the newest), newest first. */
export function messagesBefore(
  db: Db,
  conversationId: string,
  before: number | null,
  limit: number,
): Promise<MessageRow[]> {
  const bound = before === null ? '' : 'and m.seq < ?';
  const bindings = before === null ? [conversationId, limit + 1] : [conversationId, before, limit + 1];
  return rowsOf<MessageRow>(
    db,
    `${SELECT_ALL} where m.conversation_id = ? ${bound} order by m.seq desc limit ?`,
    bindings,
  );
}

/** Up to `limit` + 1 messages after `after` (exclusive), oldest first. */
export function messagesAfter(
  db: Db,
  conversationId: string,
  after: number,
  limit: number,
): Promise<MessageRow[]> {
  return rowsOf<MessageRow>(
    db,
    `${SELECT_ALL} where m.conversation_id = ? and m.seq > ? order by m.seq asc limit ?`,
    [conversationId, after, limit + 1],
  );
}

/** Live messages (hot and archived) matching a websearch query (GIN index) in global and the user's conversations. */
export function searchMessages(db: Db, userId: string, query: string, limit: number): Promise<MessageRow[]> {
  return rowsOf<MessageRow>(
    db,
    `${SELECT_ALL}
     where m.search @@ websearch_to_tsquery('simple', ?) and m.deleted_at is null
       and (m.conversation_id = ? or m.conversation_id in (
         select cm.conversation_id from conversation_members cm where cm.user_id = ?))
     order by m.created_at desc, m.id desc
     limit ?`,
    [query, GLOBAL_CONVERSATION_ID, userId, limit],
  );
}

export interface NewMessage {
  conversationId: string;
  global: boolean;
  authorId: string;
  clientId: string;
  body: string;
  /** AFINN comparative score of the text (null when not scored). */
  sentiment: number | null;
}

/**
 * Appends a message inside `trx`: takes the next seq (the row lock on the conversation serialises
 * senders of this conversation only), stores it, and moves the author's read and delivered pointers
 * to it. Outside global the author must still be a member when the message is stored (`not_found`).
 */
export async function appendMessage(
  trx: Db,
  message: NewMessage,
): Promise<{ id: string; seq: number; created_at: string } | null> {
  const bumped = await firstRow<{ last_seq: string }>(
    trx,
    'update conversations set last_seq = last_seq + 1 where id = ? returning last_seq',
    [message.conversationId],
  );
  if (!bumped) return null;
  const seq = num(bumped.last_seq);
  const id = randomUUID();
  const inserted = await firstRow<{ created_at: string }>(
    trx,
    `insert into chat_messages (id, conversation_id, seq, author_id, client_id, body, sentiment)
     values (?, ?, ?, ?, ?, ?, ?) returning created_at`,
    [id, message.conversationId, seq, message.authorId, message.clientId, message.body, message.sentiment],
  );
  const moved = message.global
    ? await raiseGlobalPointers(trx, message.authorId, seq)
    : await rowsOf(
        trx,
        `update conversation_members
         set last_read_seq = greatest(last_read_seq, ?), last_delivered_seq = greatest(last_delivered_seq, ?)
         where conversation_id = ? and user_id = ? returning user_id`,
        [seq, seq, message.conversationId, message.authorId],
      );
  if (!inserted || (!message.global && moved.length === 0)) return null;
  return { id, seq, created_at: inserted.created_at };
}

/**
 * Upserts the user's global member row with both pointers at least `seq`; returns the row when the
 * read pointer moved (or the row is new). In global only reads and sends move the delivered pointer,
 * so it is never behind the read one.
 */
export function raiseGlobalPointers(db: Db, userId: string, seq: number) {
  return rowsOf<{ user_id: string }>(
    db,
    `insert into conversation_members (conversation_id, user_id, last_read_seq, last_delivered_seq)
     values (?, ?, ?, ?)
     on conflict (conversation_id, user_id) do update
       set last_read_seq = greatest(conversation_members.last_read_seq, excluded.last_read_seq),
           last_delivered_seq = greatest(conversation_members.last_delivered_seq, excluded.last_delivered_seq)
       where conversation_members.last_read_seq < excluded.last_read_seq
     returning user_id`,
    [GLOBAL_CONVERSATION_ID, userId, seq, seq],
  );
}
