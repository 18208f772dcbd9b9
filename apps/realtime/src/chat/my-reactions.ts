import type { Db } from './chat-db.js';
import type { MessageView } from './chat.types.js';

/** The emoji `userId` has on each of `messageIds`, in one query on the reactions' primary key. */
export async function myReactionsOn(
  db: Db,
  userId: string,
  messageIds: readonly string[],
): Promise<Map<string, string[]>> {
  const mine = new Map<string, string[]>();
  if (messageIds.length === 0) return mine;
  const rows = (await db('chat_reactions')
    .select('message_id', 'emoji')
    .where('user_id', userId)
    .whereIn('message_id', [...messageIds])
    .orderBy('emoji')) as { message_id: string; emoji: string }[];
  for (const row of rows) mine.set(row.message_id, [...(mine.get(row.message_id) ?? []), row.emoji]);
  return mine;
}

/**
 * `views` as `userId` sees them: each message with reactions says which are theirs (`myReactions`,
 * maybe empty), so a client shows its own reactions as pressed after a reload. Added per reader after
 * the shared newest-page cache (whose views are the same for everyone); archived messages keep counts only.
 */
export async function withMine<T extends MessageView | null>(
  db: Db,
  userId: string,
  views: T[],
): Promise<T[]> {
  const reacted = new Set(
    views.flatMap((view) =>
      view !== null && !view.deleted && !view.archived && Object.keys(view.reactions).length > 0
        ? [view.id]
        : [],
    ),
  );
  if (reacted.size === 0) return views;
  const mine = await myReactionsOn(db, userId, [...reacted]);
  return views.map((view) =>
    view !== null && reacted.has(view.id) ? { ...view, myReactions: mine.get(view.id) ?? [] } : view,
  );
}
