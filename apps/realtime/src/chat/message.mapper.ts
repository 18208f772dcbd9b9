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
}

/** The columns of a MessageRow, over `chat_messages m join conversations c`. */
export const MESSAGE_COLUMNS =
  'm.id, m.conversation_id, m.seq, m.author_id, m.body, m.created_at, m.edited_at, m.deleted_at, c.kind, c.direct_key';

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
    reactions: deleted ? {} : reactions,
  };
}
