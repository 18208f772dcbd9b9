import { GLOBAL_CHANNEL } from '@platform/contracts';
import { num } from './chat-db.js';
import type { ConversationSummary } from './chat.types.js';
import type { SummaryRow } from './conversations.queries.js';
import { otherOf, toMessageView, type MessageRow } from './message.mapper.js';

function lastMessageOf(row: SummaryRow): MessageRow | null {
  if (row.m_id === null || row.m_seq === null || row.m_author_id === null || row.m_created_at === null) {
    return null;
  }
  return {
    id: row.m_id,
    conversation_id: row.id,
    seq: row.m_seq,
    author_id: row.m_author_id,
    body: row.m_body ?? '',
    created_at: row.m_created_at,
    edited_at: row.m_edited_at,
    deleted_at: row.m_deleted_at,
    kind: row.kind,
    direct_key: row.direct_key,
    archived: row.m_archived === true,
    frozen_reactions: row.m_frozen_reactions,
  };
}

/** A snapshot line as clients see it, from the caller's side (`with` is the other user). */
export function toSummary(
  row: SummaryRow,
  userId: string,
  counts: Map<string, Record<string, number>>,
): ConversationSummary {
  const last = lastMessageOf(row);
  const where =
    row.kind === 'direct'
      ? { with: otherOf(row.direct_key, userId) }
      : { channel: row.kind === 'global' ? GLOBAL_CHANNEL : row.id };
  return {
    id: row.id,
    kind: row.kind,
    ...where,
    name: row.kind === 'direct' ? null : row.name,
    role: row.kind === 'group' ? row.role : null,
    lastSeq: num(row.last_seq),
    lastReadSeq: num(row.last_read_seq),
    unread: num(row.unread),
    lastMessage: last ? toMessageView(last, counts.get(last.id) ?? {}) : null,
  };
}
