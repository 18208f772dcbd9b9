import {
  auditEntry,
  GLOBAL_CONVERSATION_ID,
  type AuditContext,
  type ModerationAction,
} from '@platform/contracts';
import type { Db } from '../chat-db.js';
import { ChatError, type Actor, type MessageView, type Resolved, type Target } from '../chat.types.js';
import { toMessageView } from '../message.mapper.js';
import { messagesBefore } from '../messages.queries.js';
import type { MessagesService } from '../messages.service.js';
import type { ContentPolicy, ContentPolicyOptions } from './content-policy.js';
import { ReviewQueue, type AuditRecorder, type HeldView } from './review-queue.js';
import type { SummaryPoint, SummaryProvider } from './summary.js';

/** Points a summary quotes at most; fewer for short conversations (one per four messages). */
const SUMMARY_POINTS = 5;
const pointsFor = (messages: number) => Math.min(SUMMARY_POINTS, Math.max(1, Math.ceil(messages / 4)));
/** Messages a summary reads unless asked for fewer or more. */
export const SUMMARY_DEFAULT_MESSAGES = 50;

/** Moderation's providers and settings (CHAT_MODERATION_ACTION) and the audit trail. */
export interface ChatModeration extends ContentPolicyOptions {
  summaries: SummaryProvider;
  /** Writes `log.audit` records (realtime's outbox); admin deletes and moderation decisions go here. */
  audit: AuditRecorder;
}

/** What moderation needs from the chat service: resolving targets, and posting an approved message. */
export interface ChatWriter {
  resolve(actor: Actor, target: Target): Promise<Resolved>;
  append: MessagesService['append'];
}

/**
 * Moderation for people: conversation policies and the review queue (for `chat:moderate`, audited),
 * and conversation summaries (for members). The rules that apply to each message live in
 * ContentPolicy and ReviewQueue, which the message writes use directly.
 */
export class ModerationService {
  /** The review queue, which `send` uses to hold messages. */
  readonly queue: ReviewQueue;

  constructor(
    private readonly db: () => Db,
    private readonly policy: ContentPolicy,
    private readonly options: { summaries: SummaryProvider; audit: AuditRecorder },
    private readonly chat: ChatWriter,
  ) {
    this.queue = new ReviewQueue(db, options.audit, async (held) => {
      const author: Actor = { userId: held.author_id, role: 'user' };
      const target: Target = { kind: 'conversation', conversationId: held.conversation_id };
      const resolved = await chat.resolve(author, target);
      const { body, client_id: clientId, sentiment, attachments } = held;
      return (await chat.append(author, resolved, body, clientId, sentiment, attachments)).message;
    });
  }

  /** Any conversation by id (or `global`), whether the moderator is in it or not; audited. */
  async setPolicy(context: AuditContext, target: Target, action: ModerationAction | null) {
    if (target.kind !== 'global' && target.kind !== 'conversation') {
      throw new ChatError('not_found', 'No such conversation.');
    }
    const conversationId = target.kind === 'global' ? GLOBAL_CONVERSATION_ID : target.conversationId;
    const { effective } = await this.db().transaction(async (trx) => {
      const changed = await this.policy.set(conversationId, action, trx);
      await this.options.audit(
        auditEntry(context, {
          action: 'chat.moderation.set',
          targetId: conversationId,
          before: { action: changed.before },
          after: { action },
        }),
        trx,
      );
      return changed;
    });
    return { conversationId, action, effective };
  }

  pending(limit: number, after?: string): Promise<{ items: HeldView[]; nextAfter: string | null }> {
    return this.queue.pending(limit, after);
  }

  approve(context: AuditContext, moderator: Actor, id: string): Promise<MessageView> {
    return this.queue.approve(context, moderator, id);
  }

  reject(context: AuditContext, moderator: Actor, id: string): Promise<void> {
    return this.queue.reject(context, moderator, id);
  }

  summary() {
    return this.queue.summary();
  }

  /** A member's summary of the newest `count` messages (deleted ones skipped) of a conversation. */
  async summarize(
    actor: Actor,
    target: Target,
    count = SUMMARY_DEFAULT_MESSAGES,
  ): Promise<{ conversationId: string; provider: string; messagesRead: number; points: SummaryPoint[] }> {
    const { conversationId } = await this.chat.resolve(actor, target);
    const rows = await messagesBefore(this.db(), conversationId, null, count);
    const messages = rows
      .slice(0, count)
      .reverse()
      .map((row) => toMessageView(row))
      .filter((message) => !message.deleted);
    const points = await this.options.summaries.summarize(
      messages.map(({ id, from, at, text }) => ({ id, from, at, text })),
      pointsFor(messages.length),
    );
    return { conversationId, provider: this.options.summaries.name, messagesRead: messages.length, points };
  }
}
