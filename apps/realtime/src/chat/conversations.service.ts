import { randomUUID } from 'node:crypto';
import { GLOBAL_CHANNEL, GLOBAL_CONVERSATION_ID, type Audience } from '@platform/contracts';
import type { UserDirectory } from '../users/user-directory.js';
import type { Db } from './chat-db.js';
import { ChatError, type Actor, type Resolved, type Target } from './chat.types.js';
import { createDirect, findConversation, findDirectByKey, memberIds } from './conversations.queries.js';
import { isUuid } from './ids.js';
import { addressOf, audienceOf, directKeyOf, type MessageRow } from './message.mapper.js';
import { findMessage, findVisibleMessage } from './messages.queries.js';

/** Who may see what: targets resolved to conversations, message ids to messages, both to audiences. */

const GLOBAL: Resolved = {
  conversationId: GLOBAL_CONVERSATION_ID,
  kind: 'global',
  address: { channel: GLOBAL_CHANNEL },
  audience: { scope: 'all' },
};

export const notFound = (what: string) => new ChatError('not_found', `No such ${what}.`);

/** See `ChatService.resolve`. */
export async function resolveTarget(
  db: Db,
  users: UserDirectory,
  actor: Actor,
  target: Target,
  options: { create?: boolean },
): Promise<Resolved> {
  switch (target.kind) {
    case 'global':
      return { ...GLOBAL };
    case 'group':
      return resolveMembership(db, actor, target.groupId, 'group');
    case 'conversation':
      return resolveMembership(db, actor, target.conversationId, null);
    case 'direct':
      return resolveDirect(db, users, actor, target.userId, options.create === true);
    default:
      throw new ChatError('validation_failed', 'Unknown target.');
  }
}

/** A conversation by id the actor may see (global, or one they are a member of), of `kind` if given. */
async function resolveMembership(db: Db, actor: Actor, id: string, kind: 'group' | null): Promise<Resolved> {
  const what = kind ?? 'conversation';
  if (!isUuid(id)) throw notFound(what);
  const conversation = await findConversation(db, id.toLowerCase());
  if (!conversation || (kind !== null && conversation.kind !== kind)) throw notFound(what);
  if (conversation.kind === 'global') return { ...GLOBAL };
  const members = await memberIds(db, conversation.id);
  if (!members.includes(actor.userId)) throw notFound(what);
  return {
    conversationId: conversation.id,
    kind: conversation.kind,
    address: addressOf(conversation, actor.userId),
    audience: audienceOf(conversation.kind, members),
  };
}

/** The direct conversation with an active user, created (race safe, both members) when `create`. */
async function resolveDirect(
  db: Db,
  users: UserDirectory,
  actor: Actor,
  userId: string,
  create: boolean,
): Promise<Resolved> {
  if (!isUuid(userId)) throw notFound('user');
  const other = userId.toLowerCase();
  if (other === actor.userId) throw new ChatError('validation_failed', 'You cannot message yourself.');
  if (!(await users.activeIds([other])).has(other)) throw notFound('user');
  const key = directKeyOf(actor.userId, other);
  let conversation = await findDirectByKey(db, key);
  if (!conversation && create) {
    await db.transaction((trx) => createDirect(trx, randomUUID(), key, [actor.userId, other]));
    conversation = await findDirectByKey(db, key);
  }
  if (!conversation) throw notFound('conversation');
  return {
    conversationId: conversation.id,
    kind: 'direct',
    address: { to: other },
    audience: { scope: 'users', userIds: [actor.userId, other] },
  };
}

/**
 * A message the actor may see (its conversation is global or theirs); `anyConversation` skips that
 * check (admins deleting). Deleted messages are `not_found` unless `deleted` allows tombstones.
 */
export async function visibleMessage(
  db: Db,
  actor: Actor,
  messageId: string,
  options: { anyConversation?: boolean; deleted?: boolean } = {},
): Promise<MessageRow> {
  if (!isUuid(messageId)) throw notFound('message');
  const id = messageId.toLowerCase();
  const row = options.anyConversation
    ? await findMessage(db, id)
    : await findVisibleMessage(db, id, actor.userId);
  if (!row || (row.deleted_at !== null && options.deleted !== true)) throw notFound('message');
  return row;
}

/** Who hears about a change to a message of this conversation: everyone, or its current members. */
export async function conversationAudience(
  db: Db,
  conversation: { conversation_id: string; kind: Resolved['kind'] },
): Promise<Audience> {
  if (conversation.kind === 'global') return { scope: 'all' };
  return audienceOf(conversation.kind, await memberIds(db, conversation.conversation_id));
}
