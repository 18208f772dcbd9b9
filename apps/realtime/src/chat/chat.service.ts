import {
  GLOBAL_CONVERSATION_ID,
  HISTORY_PAGE,
  SEARCH_MAX,
  SEARCH_QUERY_MAX,
  type MediaUrlSigning,
} from '@platform/contracts';
import type { MikroORM } from '@platform/db';
import type { UserDirectory } from '../users/user-directory.js';
import { announceProcessedAttachment } from './attachment-news.js';
import { num, type Db } from './chat-db.js';
import type { ChatFanout } from './chat-fanout.js';
import {
  ChatError,
  type Actor,
  type ConversationSummary,
  type GroupView,
  type MemberRole,
  type MemberView,
  type MessagePage,
  type MessageView,
  type Resolved,
  type SendResult,
  type Target,
} from './chat.types.js';
import { toSummary } from './conversation-summary.mapper.js';
import {
  ensureGlobalMember,
  raiseDelivered,
  raiseRead,
  summaryRows,
  contactIds,
} from './conversations.queries.js';
import { conversationAudience, resolveTarget, visibleMessage } from './conversations.service.js';
import { GroupsService } from './groups.service.js';
import { isUuid } from './ids.js';
import {
  messagesAfter,
  messagesBefore,
  raiseGlobalPointers,
  reactionCounts,
  searchMessages,
  withReactions,
} from './messages.queries.js';
import { MessagesService } from './messages.service.js';
import { ContentPolicy } from './moderation/content-policy.js';
import { ModerationService, type ChatModeration } from './moderation/moderation.service.js';
import { withMine } from './my-reactions.js';
import type { RecentCache } from './recent-cache.js';
import { escapeText } from './text.js';

/** Limits from config (CHAT_* variables). */
export interface ChatLimits {
  /** Code points per message (CHAT_MAX_TEXT_LENGTH). */
  maxTextLength: number;
  /** Members per group, owner included (CHAT_MAX_GROUP_MEMBERS). */
  maxGroupMembers: number;
  /** Signs the attachments' URLs every message view carries (MEDIA_URL_SECRET). */
  mediaUrls: MediaUrlSigning;
}

// HISTORY_PAGE (messages per history page unless the caller asks for fewer), SEARCH_MAX and
// SEARCH_QUERY_MAX are part of the API contract (@platform/contracts), which the REST schemas share.
/** Messages per conversation a `chat.sync` returns at once; `hasMore` asks the client for another round. */
export const SYNC_PAGE = 100;

/** Search results per call unless the caller asks for fewer (at most SEARCH_MAX). */
export const SEARCH_PAGE = 20;

/**
 * Chat business rules over PostgreSQL. Every state change commits first, then is announced on the
 * `chat` fanout (ChatFanout) to the audience that may see it. Refusals are ChatErrors; any other
 * failure (the database) propagates as is.
 */
export class ChatService {
  /** Policies, the review queue and summaries, for the moderation routes. */
  readonly moderation: ModerationService;
  private readonly messages: MessagesService;
  private readonly groups: GroupsService;
  private readonly policy: ContentPolicy;
  private readonly mediaUrls: MediaUrlSigning;

  constructor(
    private readonly orm: MikroORM,
    private readonly fanout: ChatFanout,
    limits: ChatLimits,
    moderation: ChatModeration,
    /** Account standing and display names, from users (never its table). */
    private readonly users: UserDirectory,
    /** The newest page of each conversation in Redis; null reads PostgreSQL every time. */
    private readonly recent: RecentCache | null = null,
  ) {
    this.mediaUrls = limits.mediaUrls;
    const db = () => this.db();
    this.policy = new ContentPolicy(db, moderation);
    this.messages = new MessagesService(db, fanout, {
      maxTextLength: limits.maxTextLength,
      mediaUrls: limits.mediaUrls,
      policy: this.policy,
      audit: moderation.audit,
      recent,
    });
    this.groups = new GroupsService(db, fanout, limits.maxGroupMembers, users);
    this.moderation = new ModerationService(db, this.policy, moderation, {
      resolve: (actor, target) => this.resolve(actor, target),
      append: (...args) => this.messages.append(...args),
    });
  }

  /**
   * Where `target` is for `actor`, and who hears about it: global (audience all), a group the actor is
   * a member of (its members), or the direct conversation with an active user (both), created on first
   * use when `create`. Not a member, no such group or user, or the actor themselves: `not_found`
   * (messaging oneself: `validation_failed`). A `conversation` target is any conversation the actor
   * may see, by id (a direct one stays readable and writable after the other user is suspended).
   */
  resolve(actor: Actor, target: Target, options: { create?: boolean } = {}): Promise<Resolved> {
    return resolveTarget(this.db(), this.users, actor, target, options);
  }

  /**
   * Stores a message (next seq) and announces `chat.message`; a known clientId returns the stored one
   * (`duplicate`, nothing announced, wherever it was sent). A direct conversation is created by its
   * first message. Offensive text is masked, held (`message_held`, also for a resend) or refused
   * (`message_refused`), as the conversation's moderation action says. `attachments` are the sender's
   * own uploads (at most 10, checked by the frame schema); a held message keeps them for its approval.
   */
  async send(
    actor: Actor,
    target: Target,
    text: string,
    clientId: string,
    attachments: readonly string[] = [],
  ): Promise<SendResult> {
    // A message of files alone needs no text (and has none to screen).
    const filesOnly = attachments.length > 0 && typeof text === 'string' && text.trim() === '';
    const cleaned = filesOnly ? '' : this.messages.checkText(text);
    const known = await this.messages.findSent(actor, clientId);
    if (known) return known;
    await this.moderation.queue.refuseIfHeld(actor, clientId);
    const resolved = await this.resolve(actor, target, { create: true });
    const verdict = filesOnly
      ? { text: '', sentiment: null, held: null }
      : await this.policy.review(resolved.conversationId, cleaned);
    if (verdict.held) {
      return this.moderation.queue.hold(actor, resolved.conversationId, verdict, clientId, attachments);
    }
    const body = escapeText(verdict.text);
    return this.messages.append(actor, resolved, body, clientId, verdict.sentiment, attachments);
  }

  /** The author edits their message's text; announces `message.edited`. */
  edit(actor: Actor, messageId: string, text: string): Promise<MessageView> {
    return this.messages.edit(actor, messageId, text);
  }

  /**
   * The author or an admin deletes a message (text cleared, reactions dropped, seq kept); announces
   * `message.deleted`. Admins may delete any message, also in conversations they are not in.
   */
  remove(actor: Actor, messageId: string): Promise<MessageView> {
    return this.messages.remove(actor, messageId);
  }

  /**
   * Adds (`on`) or removes a reaction; announces `reaction` when it changed anything. `count` is how
   * many users have this emoji on the message afterwards; one user has at most 10 distinct emoji on it.
   */
  react(
    actor: Actor,
    messageId: string,
    emoji: string,
    on: boolean,
  ): Promise<{ changed: boolean; count: number }> {
    return this.messages.react(actor, messageId, emoji, on);
  }

  /**
   * Moves the actor's read pointer (and delivered pointer) up to this message (a tombstone counts);
   * announces a `read` receipt outside global when it moved.
   */
  async markRead(actor: Actor, messageId: string): Promise<{ advanced: boolean }> {
    const db = this.db();
    const row = await visibleMessage(db, actor, messageId, { deleted: true });
    const seq = num(row.seq);
    if (row.kind === 'global') {
      return { advanced: (await raiseGlobalPointers(db, actor.userId, seq)).length > 0 };
    }
    const moved = await raiseRead(db, row.conversation_id, actor.userId, seq);
    if (!moved) return { advanced: false };
    this.fanout.publish(await conversationAudience(db, row), {
      type: 'receipt',
      id: row.id,
      conversationId: row.conversation_id,
      seq,
      userId: actor.userId,
      status: 'read',
    });
    return { advanced: true };
  }

  /**
   * Records that `userIds` received message `seq` of a direct or group conversation (a socket of theirs
   * was sent it): one conditional update for all of them, a no-op for whoever was recorded before (every
   * instance that delivered the message calls this). Each user recorded now is announced to the
   * message's author only (`from`), as a `delivered` receipt. The author and global are skipped.
   * Returns the users recorded now.
   */
  async markDelivered(
    userIds: readonly string[],
    message: { id: string; conversationId: string; seq: number; from: string },
  ): Promise<string[]> {
    const { id, conversationId, seq, from } = message;
    if (conversationId === GLOBAL_CONVERSATION_ID || !isUuid(conversationId) || !isUuid(from)) return [];
    if (!Number.isSafeInteger(seq) || seq < 1) return [];
    const recipients = userIds.filter((userId) => userId !== from && isUuid(userId));
    if (recipients.length === 0) return [];
    const moved = await raiseDelivered(this.db(), conversationId, recipients, seq);
    for (const userId of moved) {
      this.fanout.publish(
        { scope: 'users', userIds: [from] },
        { type: 'receipt', id, conversationId, seq, userId, status: 'delivered' },
      );
    }
    return moved;
  }

  /**
   * Announces a typing indicator (ephemeral, nothing stored). Typing to a user before the first message
   * creates the direct conversation, so the indicator can carry its id.
   */
  async typing(actor: Actor, target: Target, on: boolean): Promise<void> {
    const resolved = await this.resolve(actor, target, { create: true });
    this.fanout.publish(
      resolved.audience,
      {
        type: 'typing',
        conversationId: resolved.conversationId,
        from: actor.userId,
        on,
        ...resolved.address,
      },
      { ephemeral: true },
    );
  }

  /**
   * The newest messages before `before` (exclusive; default: the newest), oldest first; `limit` is
   * clamped to 1..HISTORY_PAGE. Deleted messages are tombstones. Asking for the history with a user
   * creates the direct conversation (empty), as a first message would.
   */
  async history(
    actor: Actor,
    target: Target,
    page: { before?: number; limit?: number } = {},
  ): Promise<MessagePage> {
    const limit = clamp(page.limit, HISTORY_PAGE, HISTORY_PAGE);
    const before = page.before === undefined ? null : wholeNumber(page.before, 'before');
    const resolved = await this.resolve(actor, target, { create: true });
    const { conversationId } = resolved;
    if (before !== null) return this.mine(actor, await this.page(conversationId, before, limit));
    // The newest page is what opening a conversation asks for: from the cache when it is there.
    const newest = (await this.recent?.read(conversationId)) ?? (await this.readNewest(conversationId));
    const messages = newest.messages.slice(-limit);
    return this.mine(actor, {
      conversationId,
      messages,
      hasMore: newest.hasMore || newest.messages.length > limit,
    });
  }

  /** The page with the actor's own reactions marked (`myReactions`). */
  private async mine(actor: Actor, page: MessagePage): Promise<MessagePage> {
    return { ...page, messages: await withMine(this.db(), actor.userId, page.messages) };
  }

  /** The newest page from PostgreSQL, cached unless a change raced the read (see RecentCache). */
  private async readNewest(conversationId: string): Promise<MessagePage> {
    const version = this.recent ? await this.recent.version(conversationId) : null;
    const newest = await this.page(conversationId, null, HISTORY_PAGE);
    await this.recent?.fill(conversationId, version, newest);
    return newest;
  }

  private async page(conversationId: string, before: number | null, limit: number): Promise<MessagePage> {
    const db = this.db();
    const rows = await messagesBefore(db, conversationId, before, limit);
    const messages = await withReactions(db, rows.slice(0, limit).reverse(), this.mediaUrls);
    return { conversationId, messages, hasMore: rows.length > limit };
  }

  /** Messages after `after` (exclusive), oldest first, at most SYNC_PAGE: what a reconnecting client missed. */
  async since(actor: Actor, target: Target, after: number): Promise<MessagePage> {
    const from = wholeNumber(after, 'after');
    const resolved = await this.resolve(actor, target);
    const db = this.db();
    const rows = await messagesAfter(db, resolved.conversationId, from, SYNC_PAGE);
    const views = await withReactions(db, rows.slice(0, SYNC_PAGE), this.mediaUrls);
    const messages = await withMine(db, actor.userId, views);
    return { conversationId: resolved.conversationId, messages, hasMore: rows.length > SYNC_PAGE };
  }

  /**
   * Every conversation of the actor, global first, then by latest activity; three queries whatever
   * their number. A first snapshot puts the actor's global read pointer at the end (nothing unread).
   */
  /** Who the actor shares a direct or group conversation with (at most `limit`). */
  contacts(actor: Actor, limit: number): Promise<string[]> {
    return contactIds(this.db(), actor.userId, limit);
  }

  async snapshot(actor: Actor): Promise<ConversationSummary[]> {
    const db = this.db();
    await ensureGlobalMember(db, actor.userId);
    const rows = await summaryRows(db, actor.userId);
    // Last messages come from the cached newest pages where those agree with the rows (same id and
    // seq): they carry their reactions and files already, so only the others are counted here.
    const cached = (await this.recent?.lastMessages(rows.map((row) => row.id))) ?? new Map();
    const fromCache = (row: (typeof rows)[number]): MessageView | undefined => {
      const view = cached.get(row.id);
      return view && view.id === row.m_id && view.seq === Number(row.m_seq) ? view : undefined;
    };
    const live = rows.flatMap((row) =>
      row.m_id !== null && row.m_deleted_at === null && !fromCache(row) ? [row.m_id] : [],
    );
    const counts = await reactionCounts(db, live);
    const summaries = rows.map((row) => {
      const summary = toSummary(row, actor.userId, counts);
      const view = fromCache(row);
      return view ? { ...summary, lastMessage: view } : summary;
    });
    const lastMessages = await withMine(
      db,
      actor.userId,
      summaries.map((s) => s.lastMessage),
    );
    return summaries.map((summary, i) => ({ ...summary, lastMessage: lastMessages[i] ?? null }));
  }

  /**
   * Full-text search (`websearch_to_tsquery`, simple configuration) over global and the conversations
   * the actor is in, newest first; deleted messages never match. `limit` defaults to 20, at most 50.
   */
  async search(actor: Actor, query: string, limit?: number): Promise<MessageView[]> {
    const text = typeof query === 'string' ? query.trim() : '';
    if (text.length === 0 || text.length > SEARCH_QUERY_MAX) {
      throw new ChatError('validation_failed', `The query must be 1-${SEARCH_QUERY_MAX} characters.`);
    }
    const db = this.db();
    const rows = await searchMessages(db, actor.userId, text, clamp(limit, SEARCH_PAGE, SEARCH_MAX));
    return withMine(db, actor.userId, await withReactions(db, rows, this.mediaUrls));
  }

  /**
   * Creates a group owned by the actor, with these other members (a set: repeats and the actor are
   * ignored; each must be an active user). Announces `chat.member joined` for every member.
   */
  createGroup(actor: Actor, name: string, memberIds: readonly string[]): Promise<GroupView> {
    return this.groups.create(actor, name, memberIds);
  }

  /** A group and its members, for members only. */
  group(actor: Actor, groupId: string): Promise<GroupView> {
    return this.groups.group(actor, groupId);
  }

  /** An owner adds a user as a member (unread starts after the messages already there). */
  addMember(actor: Actor, groupId: string, userId: string): Promise<MemberView> {
    return this.groups.addMember(actor, groupId, userId);
  }

  /**
   * A member leaves (`userId` = the actor), or an owner removes a member (another owner only after
   * demoting them with `setRole`). When the last owner leaves, the longest-standing member becomes owner.
   */
  removeMember(actor: Actor, groupId: string, userId: string): Promise<void> {
    return this.groups.removeMember(actor, groupId, userId);
  }

  /**
   * An owner changes a member's role, another owner's included (owners have equal rights); the last
   * owner cannot step down.
   */
  setRole(actor: Actor, groupId: string, userId: string, role: MemberRole): Promise<MemberView> {
    return this.groups.setRole(actor, groupId, userId, role);
  }

  /** worker-media finished `mediaId`: the conversations whose messages carry it hear `chat.attachment`. */
  attachmentProcessed(mediaId: string): Promise<number> {
    const { fanout, recent, mediaUrls } = this;
    return announceProcessedAttachment({ db: this.db(), fanout, recent, mediaUrls }, mediaId);
  }

  private db(): Db {
    return this.orm.em.getKnex();
  }
}

/** A page size: the default when absent, else a whole number within 1..max. */
function clamp(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(value)));
}

function wholeNumber(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ChatError('validation_failed', `${name} must be a whole number`);
  }
  return value;
}
