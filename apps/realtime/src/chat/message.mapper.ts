import { GLOBAL_CHANNEL, type Audience } from '@platform/contracts';
import { iso, num } from './chat-db.js';
import type { Address, ConversationKind, MessageView } from './chat.types.js';

/** A message row with what its view needs of its conversation (`kind`, `direct_key`). */
export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: string | number;
  author_id: string;
  body: string;
  created_at: string | Date;
  edited_at: string | Date | null;
  deleted_at: string | Date | null;
  kind: ConversationKind;
  direct_key: string | null;
  /** Set by the archive-aware reads (`ALL_MESSAGES`): the row is in `chat_messages_archive`. */
  archived?: boolean;
  /** An archived message's reactions, frozen as counts when it was archived. */
  frozen_reactions?: Record<string, number> | null;
}

/** The columns of a MessageRow, over `chat_messages m join conversations c`. */
export const MESSAGE_COLUMNS =
  'm.id, m.conversation_id, m.seq, m.author_id, m.body, m.created_at, m.edited_at, m.deleted_at, c.kind, c.direct_key';

/**
 * Hot and archived messages as one relation `m`. PostgreSQL pulls the UNION ALL up into an append of
 * both tables, pushes the conversation and seq conditions into each, and merges their index scans, so
 * a history page near the newest messages never touches the archive's pages.
 */
export const ALL_MESSAGES = `(
  select id, conversation_id, seq, author_id, body, created_at, edited_at, deleted_at, search,
         false as archived, null::jsonb as frozen_reactions
  from chat_messages
  union all
  select id, conversation_id, seq, author_id, body, created_at, edited_at, deleted_at, search,
         true, reactions
  from chat_messages_archive) m`;

/** MESSAGE_COLUMNS over ALL_MESSAGES. */
export const ARCHIVE_AWARE_COLUMNS = `${MESSAGE_COLUMNS}, m.archived, m.frozen_reactions`;

/** `<lower id>:<higher id>`: the one key of a pair's direct conversation, whoever writes first. */
export function directKeyOf(a: string, b: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return `${low}:${high}`;
}

/** The other user of a direct conversation, seen from `userId` (read from its key: no member lookup). */
export function otherOf(directKey: string | null, userId: string): string {
  const [first = '', second = ''] = (directKey ?? '').split(':');
  return first === userId ? second : first;
}

/** How frames address a conversation, seen from `userId` (for a direct one: `to` the other user). */
export function addressOf(
  conversation: { id: string; kind: ConversationKind; direct_key: string | null },
  userId: string,
): Address {
  if (conversation.kind === 'global') return { channel: GLOBAL_CHANNEL };
  if (conversation.kind === 'group') return { channel: conversation.id };
  return { to: otherOf(conversation.direct_key, userId) };
}

/** Global frames go to everyone; direct and group frames to the members. */
export function audienceOf(kind: ConversationKind, memberIds: readonly string[]): Audience {
  return kind === 'global' ? { scope: 'all' } : { scope: 'users', userIds: [...memberIds] };
}

/** A stored message as clients see it; a deleted one is a tombstone (no text, no reactions). */
export function toMessageView(row: MessageRow, reactions: Record<string, number> = {}): MessageView {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: num(row.seq),
    ...addressOf({ id: row.conversation_id, kind: row.kind, direct_key: row.direct_key }, row.author_id),
    from: row.author_id,
    text: deleted ? '' : row.body,
    at: iso(row.created_at),
    editedAt: row.edited_at === null ? null : iso(row.edited_at),
    deleted,
    reactions: deleted ? {} : row.archived ? (row.frozen_reactions ?? {}) : reactions,
    // Only archived messages carry the flag, so live payloads stay as they were.
    ...(row.archived ? { archived: true } : {}),
  };
}
