import { firstRow, rowsOf, type Db } from './chat-db.js';

/** The advisory lock only one archiver of the whole deployment holds at a time (any instance may run it). */
const ARCHIVE_LOCK = "hashtext('platform.chat-archive')";

/**
 * Moves up to `batch` messages created before `cutoff` into the archive, in one short transaction:
 * the rows are locked with SKIP LOCKED (a message being edited or reacted to right now waits for the
 * next batch instead of blocking it), their reactions are frozen into counts, and the rows leave the
 * hot table in the same statement that writes them to the archive. Returns the conversation id of each
 * message moved (one entry per message), or null when another instance holds the archive lock.
 */
export async function archiveBatch(db: Db, cutoff: Date, batch: number): Promise<string[] | null> {
  return db.transaction(async (trx) => {
    const locked = await firstRow<{ locked: boolean }>(
      trx,
      `select pg_try_advisory_xact_lock(${ARCHIVE_LOCK}) as locked`,
    );
    if (locked?.locked !== true) return null;
    const moved = await rowsOf<{ conversation_id: string }>(
      trx,
      `with picked as (
         select id from chat_messages where created_at < ? order by created_at limit ? for update skip locked
       ), counts as (
         select message_id, jsonb_object_agg(emoji, n) as reactions
         from (select message_id, emoji, count(*) as n from chat_reactions
               where message_id in (select id from picked) group by message_id, emoji) per_emoji
         group by message_id
       ), gone as (
         delete from chat_messages m using picked where m.id = picked.id
         returning m.id, m.conversation_id, m.seq, m.author_id, m.client_id, m.body, m.created_at,
                   m.edited_at, m.deleted_at, m.deleted_by, m.sentiment
       ), stored as (
         insert into chat_messages_archive (id, conversation_id, seq, author_id, client_id, body,
           created_at, edited_at, deleted_at, deleted_by, sentiment, reactions)
         select g.id, g.conversation_id, g.seq, g.author_id, g.client_id, g.body, g.created_at,
                g.edited_at, g.deleted_at, g.deleted_by, g.sentiment, coalesce(c.reactions, '{}'::jsonb)
         from gone g left join counts c on c.message_id = g.id
         returning conversation_id
       )
       select conversation_id from stored`,
      [cutoff, batch],
    );
    return moved.map((row) => row.conversation_id);
  });
}
