import { auditEntry, GLOBAL_CONVERSATION_ID, type MediaUrlSigning } from '@platform/contracts';
import { attachmentsOf, attachToMessage } from './attachments.queries.js';
import { firstRow, isUniqueViolation, iso, num, rowsOf, type Db } from './chat-db.js';
import type { ChatFanout } from './chat-fanout.js';
import { ChatError, type Actor, type MessageView, type Resolved, type SendResult } from './chat.types.js';
import { memberIds } from './conversations.queries.js';
import { conversationAudience, visibleMessage } from './conversations.service.js';
import { audienceOf, toMessageView, type MessageRow } from './message.mapper.js';
import { appendMessage, findMessageByClientId, reactionCounts, withReactions } from './messages.queries.js';
import type { ContentPolicy } from './moderation/content-policy.js';
import type { AuditRecorder } from './moderation/review-queue.js';
import type { RecentCache } from './recent-cache.js';
import { cleanText, escapeText, isEmoji } from './text.js';

/** Distinct emoji one user may put on one message. */
export const MAX_REACTIONS_PER_USER = 10;
const CLIENT_ID_MAX = 200;

/** Writes to messages: send, edit, delete, react (see the doc comments on ChatService). */
export class MessagesService {
  private readonly policy: ContentPolicy;
  private readonly audit: AuditRecorder;

  constructor(
    private readonly db: () => Db,
    private readonly fanout: ChatFanout,
    private readonly options: {
      maxTextLength: number;
      mediaUrls: MediaUrlSigning;
      policy: ContentPolicy;
      audit: AuditRecorder;
      /** Dropped for the conversation after every change commits, before the change is announced. */
      recent: RecentCache | null;
    },
  ) {
    this.policy = options.policy;
    this.audit = options.audit;
  }

  /** The text cleaned and length-checked, not yet escaped: moderation reads it first (`text.ts`). */
  checkText(raw: string): string {
    const checked = cleanText(typeof raw === 'string' ? raw : '', this.options.maxTextLength);
    if (!checked.ok) throw new ChatError('validation_failed', checked.reason);
    return checked.text;
  }

  /** The stored message of this author and clientId, if any. */
  async findSent(actor: Actor, clientId: string): Promise<SendResult | null> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > CLIENT_ID_MAX) {
      throw new ChatError('validation_failed', `clientId must be 1-${CLIENT_ID_MAX} characters`);
    }
    const row = await findMessageByClientId(this.db(), actor.userId, clientId);
    if (!row) return null;
    const [message] = await withReactions(this.db(), [row], this.options.mediaUrls);
    return message ? { message, duplicate: true } : null;
  }

  /**
   * Stores and announces a message in a resolved conversation. The caller checked the clientId and
   * gives `body` display-safe (escaped), with its sentiment score and the ids of its attachments.
   */
  async append(
    actor: Actor,
    resolved: Resolved,
    body: string,
    clientId: string,
    sentiment: number | null,
    attachments: readonly string[] = [],
  ): Promise<SendResult> {
    const db = this.db();
    let stored: Awaited<ReturnType<typeof appendMessage>>;
    let audience = resolved.audience;
    try {
      stored = await db.transaction(async (trx) => {
        const appended = await appendMessage(trx, {
          conversationId: resolved.conversationId,
          global: resolved.conversationId === GLOBAL_CONVERSATION_ID,
          authorId: actor.userId,
          clientId,
          body,
          sentiment,
        });
        // Rolls the seq back: nothing was stored (the conversation or membership went meanwhile).
        if (!appended) throw new ChatError('not_found', 'No such conversation.');
        if (attachments.length > 0) await attachToMessage(trx, appended.id, actor.userId, attachments);
        // The members as of this message, read under the conversation's row lock (membership changes
        // take it too): the ones resolved before may include someone removed while this send waited.
        if (resolved.kind === 'group')
          audience = audienceOf('group', await memberIds(trx, resolved.conversationId));
        return appended;
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'chat_messages_author_client_unique')) throw error;
      const again = await this.findSent(actor, clientId);
      if (!again) throw error;
      return again;
    }
    const message: MessageView = {
      id: stored.id,
      conversationId: resolved.conversationId,
      seq: stored.seq,
      ...resolved.address,
      from: actor.userId,
      text: body,
      at: iso(stored.created_at),
      editedAt: null,
      deleted: false,
      reactions: {},
      ...(attachments.length > 0
        ? { attachments: (await attachmentsOf(db, [stored.id], this.options.mediaUrls)).get(stored.id) ?? [] }
        : {}),
    };
    await this.changed(resolved.conversationId);
    this.fanout.publish(audience, { type: 'chat.message', ...message });
    return { message, duplicate: false };
  }

  async edit(actor: Actor, messageId: string, raw: string): Promise<MessageView> {
    const cleaned = this.checkText(raw);
    const db = this.db();
    const row = await visibleMessage(db, actor, messageId);
    if (row.author_id !== actor.userId)
      throw new ChatError('forbidden', 'Only the author can edit a message.');
    const verdict = await this.policy.review(row.conversation_id, cleaned, true);
    const text = escapeText(verdict.text);
    const updated = await firstRow<{ edited_at: string }>(
      db,
      `update chat_messages set body = ?, sentiment = ?, edited_at = now()
       where id = ? and deleted_at is null returning edited_at`,
      [text, verdict.sentiment, row.id],
    );
    if (!updated) throw new ChatError('not_found', 'No such message.');
    const editedAt = iso(updated.edited_at);
    const counts = await reactionCounts(db, [row.id]);
    const view = toMessageView({ ...row, body: text, edited_at: editedAt }, counts.get(row.id) ?? {});
    const { id, conversationId, seq } = view;
    await this.changed(conversationId);
    this.fanout.publish(await conversationAudience(db, row), {
      type: 'message.edited',
      id,
      conversationId,
      seq,
      text,
      editedAt,
    });
    return view;
  }

  /** Admins may delete any message, in any conversation, whether they are in it or not (moderation). */
  async remove(actor: Actor, messageId: string): Promise<MessageView> {
    const db = this.db();
    const admin = actor.role === 'admin';
    const row = await visibleMessage(db, actor, messageId, { anyConversation: admin });
    if (!admin && row.author_id !== actor.userId) {
      throw new ChatError('forbidden', 'Only the author or an admin can delete a message.');
    }
    const deletedAt = await db.transaction(async (trx) => {
      const deleted = await firstRow<{ deleted_at: string }>(
        trx,
        `update chat_messages set body = '', deleted_at = now(), deleted_by = ?
         where id = ? and deleted_at is null returning deleted_at`,
        [actor.userId, row.id],
      );
      if (!deleted) throw new ChatError('not_found', 'No such message.');
      await trx('chat_reactions').where('message_id', row.id).delete();
      return deleted.deleted_at;
    });
    const view = toMessageView({ ...row, body: '', deleted_at: deletedAt });
    const { id, conversationId, seq } = view;
    await this.changed(conversationId);
    if (row.author_id !== actor.userId) {
      // Only an admin gets here (the author check above): a moderation act, audited like any admin act.
      await this.audit(
        auditEntry(
          { service: 'realtime', requestId: null, ip: null, userAgent: null, actorId: actor.userId },
          {
            action: 'chat.message.deleted',
            targetId: row.author_id,
            after: { messageId: id, conversationId, seq },
          },
        ),
      );
    }
    this.fanout.publish(await conversationAudience(db, row), {
      type: 'message.deleted',
      id,
      conversationId,
      seq,
      deletedBy: actor.userId,
    });
    return view;
  }

  async react(
    actor: Actor,
    messageId: string,
    emoji: string,
    on: boolean,
  ): Promise<{ changed: boolean; count: number }> {
    if (typeof emoji !== 'string' || !isEmoji(emoji)) {
      throw new ChatError('validation_failed', 'A reaction must be an emoji.');
    }
    const db = this.db();
    const row = await visibleMessage(db, actor, messageId);
    const changed = on
      ? await this.addReaction(db, actor, row, emoji)
      : await removeReaction(db, actor, row, emoji);
    const counted = await firstRow<{ count: string }>(
      db,
      'select count(*) as count from chat_reactions where message_id = ? and emoji = ?',
      [row.id, emoji],
    );
    const count = num(counted?.count ?? 0);
    if (changed) {
      await this.changed(row.conversation_id);
      this.fanout.publish(await conversationAudience(db, row), {
        type: 'reaction',
        id: row.id,
        conversationId: row.conversation_id,
        seq: num(row.seq),
        emoji,
        userId: actor.userId,
        on,
        count,
      });
    }
    return { changed, count };
  }

  private async changed(conversationId: string): Promise<void> {
    await this.options.recent?.invalidate([conversationId]);
  }

  /**
   * Adds a reaction unless the user already has it; one statement checks that the message is still live
   * and that the user stays within MAX_REACTIONS_PER_USER distinct emoji on it.
   */
  private async addReaction(db: Db, actor: Actor, row: MessageRow, emoji: string): Promise<boolean> {
    const inserted = await rowsOf(
      db,
      `insert into chat_reactions (message_id, user_id, emoji)
       select ?, ?, ?
       where exists (select 1 from chat_messages where id = ? and deleted_at is null)
         and (select count(*) from chat_reactions where message_id = ? and user_id = ?) < ?
       on conflict (message_id, user_id, emoji) do nothing
       returning emoji`,
      [row.id, actor.userId, emoji, row.id, row.id, actor.userId, MAX_REACTIONS_PER_USER],
    );
    if (inserted.length > 0) return true;
    const why = await firstRow<{ has: boolean; live: boolean }>(
      db,
      `select exists (select 1 from chat_reactions where message_id = ? and user_id = ? and emoji = ?) as has,
              exists (select 1 from chat_messages where id = ? and deleted_at is null) as live`,
      [row.id, actor.userId, emoji, row.id],
    );
    if (why?.has === true) return false;
    if (why?.live !== true) throw new ChatError('not_found', 'No such message.');
    throw new ChatError(
      'validation_failed',
      `At most ${MAX_REACTIONS_PER_USER} different reactions per message.`,
    );
  }
}

async function removeReaction(db: Db, actor: Actor, row: MessageRow, emoji: string): Promise<boolean> {
  const removed = await db('chat_reactions')
    .where({ message_id: row.id, user_id: actor.userId, emoji })
    .delete();
  return removed > 0;
}
