import type { ModerationAction } from '@platform/contracts';
import { firstRow, num, rowsOf, type Db } from '../chat-db.js';

/** A row of `chat_held_messages`, as the driver returns it. */
export interface HeldRow {
  id: string;
  conversation_id: string;
  author_id: string;
  client_id: string;
  body: string;
  terms: string[];
  /** Media ids sent with it, attached when it is posted. */
  attachments: string[];
  sentiment: number | null;
  created_at: string;
}

const HELD_COLUMNS =
  'id, conversation_id, author_id, client_id, body, terms, attachments, sentiment, created_at';

/** The conversation's own moderation action (null: the default), or undefined when there is no such one. */
export async function findPolicy(
  db: Db,
  conversationId: string,
): Promise<{ moderation: ModerationAction | null } | undefined> {
  return firstRow(db, 'select moderation from conversations where id = ?', [conversationId]);
}

/** Sets the action (null: back to the default); false when there is no such conversation. */
export async function updatePolicy(
  db: Db,
  conversationId: string,
  action: ModerationAction | null,
): Promise<{ before: ModerationAction | null } | undefined> {
  return firstRow(
    db,
    `update conversations c set moderation = ? from conversations old
     where c.id = ? and old.id = c.id returning old.moderation as before`,
    [action, conversationId],
  );
}

export function findHeldByClientId(db: Db, authorId: string, clientId: string): Promise<HeldRow | undefined> {
  return firstRow<HeldRow>(
    db,
    `select ${HELD_COLUMNS} from chat_held_messages where author_id = ? and client_id = ?`,
    [authorId, clientId],
  );
}

/** Queues a message for review; a row of the same author and clientId already there wins (a resend). */
export async function insertHeld(db: Db, row: Omit<HeldRow, 'created_at'>): Promise<void> {
  await db.raw(
    `insert into chat_held_messages (id, conversation_id, author_id, client_id, body, terms, attachments,
       sentiment)
     values (?, ?, ?, ?, ?, ?, ?::uuid[], ?) on conflict (author_id, client_id) do nothing`,
    [
      row.id,
      row.conversation_id,
      row.author_id,
      row.client_id,
      row.body,
      row.terms,
      row.attachments,
      row.sentiment,
    ],
  );
}

/** Up to `limit` + 1 undecided rows after the cursor `(createdAt, id)`, oldest first. */
export function pendingHeld(
  db: Db,
  after: { createdAt: string; id: string } | null,
  limit: number,
): Promise<HeldRow[]> {
  const cursor = after ? 'and (created_at, id) > (?::timestamptz, ?::uuid)' : '';
  return rowsOf<HeldRow>(
    db,
    `select ${HELD_COLUMNS} from chat_held_messages where decision is null ${cursor}
     order by created_at, id limit ?`,
    after ? [after.createdAt, after.id, limit + 1] : [limit + 1],
  );
}

export function findPendingHeld(db: Db, id: string): Promise<HeldRow | undefined> {
  return firstRow<HeldRow>(
    db,
    `select ${HELD_COLUMNS} from chat_held_messages where id = ? and decision is null`,
    [id],
  );
}

/**
 * Records a decision on an undecided row (one moderator wins a race), returning the row; undefined
 * when it is missing or was decided already.
 */
export function decideHeld(
  db: Db,
  id: string,
  decision: { kind: 'approved' | 'rejected'; moderatorId: string; messageId: string | null },
): Promise<HeldRow | undefined> {
  return firstRow<HeldRow>(
    db,
    `update chat_held_messages set decision = ?, decided_by = ?, decided_at = now(), message_id = ?
     where id = ? and decision is null returning ${HELD_COLUMNS}`,
    [decision.kind, decision.moderatorId, decision.messageId, id],
  );
}

export async function countPending(db: Db): Promise<number> {
  const row = await firstRow<{ count: string }>(
    db,
    'select count(*) as count from chat_held_messages where decision is null',
  );
  return num(row?.count ?? 0);
}

/** Counts and mean of the sentiment of messages since `since` that have a score. */
export async function sentimentSince(
  db: Db,
  since: Date,
  threshold: number,
): Promise<{ messages: number; positive: number; negative: number; average: number | null }> {
  const row = await firstRow<{
    messages: string;
    positive: string;
    negative: string;
    average: number | null;
  }>(
    db,
    `select count(*) as messages,
            count(*) filter (where sentiment > ?) as positive,
            count(*) filter (where sentiment < ?) as negative,
            avg(sentiment)::float8 as average
     from chat_messages where created_at >= ? and sentiment is not null and deleted_at is null`,
    [threshold, -threshold, since],
  );
  return {
    messages: num(row?.messages ?? 0),
    positive: num(row?.positive ?? 0),
    negative: num(row?.negative ?? 0),
    average: row?.average ?? null,
  };
}
