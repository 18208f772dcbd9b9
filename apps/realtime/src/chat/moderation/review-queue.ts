import { randomUUID } from 'node:crypto';
import { auditEntry, type AuditContext, type EventPayload } from '@platform/contracts';
import { iso, type Db, type Trx } from '../chat-db.js';
import { ChatError, type Actor, type MessageView } from '../chat.types.js';
import { escapeText } from '../text.js';
import type { Verdict } from './content-policy.js';
import { SENTIMENT_THRESHOLD } from './content-screen.js';
import {
  countPending,
  decideHeld,
  findHeldByClientId,
  findPendingHeld,
  insertHeld,
  pendingHeld,
  sentimentSince,
  type HeldRow,
} from './moderation.queries.js';

/**
 * Writes a `log.audit` record through realtime's outbox, in the caller's transaction `trx`: the act
 * and its record commit together, so no moderation act can stand without its audit record.
 */
export type AuditRecorder = (entry: EventPayload<'log.audit'>, trx: Trx) => Promise<void>;

/**
 * Posts an approved message as its author would have (next seq, fanout). Idempotent: it is stored
 * under the author's clientId, so posting the same held row twice returns the first message.
 */
export type PostAsAuthor = (held: HeldRow) => Promise<MessageView>;

export interface HeldView {
  id: string;
  conversationId: string;
  from: string;
  text: string;
  terms: string[];
  at: string;
}

const toHeldView = (row: HeldRow): HeldView => ({
  id: row.id,
  conversationId: row.conversation_id,
  from: row.author_id,
  text: row.body,
  terms: row.terms,
  at: iso(row.created_at),
});

const heldNotice = () =>
  new ChatError('message_held', 'The message is held for a moderator and appears once approved.');

/** A page cursor: the last row's time and id, opaque to clients. */
function cursorOf(row: HeldRow): string {
  return Buffer.from(`${iso(row.created_at)}|${row.id}`).toString('base64url');
}

function parseCursor(cursor: string | undefined): { createdAt: string; id: string } | null {
  if (cursor === undefined) return null;
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new ChatError('validation_failed', 'after is not a cursor this service gave out');
  }
  return { createdAt, id };
}

/**
 * The review queue of held messages. A held message is not in its conversation: the author gets
 * `message_held` (also when resending it), nobody else sees anything until a moderator approves it,
 * and then it is posted with the next seq as if sent then. Every decision is audited.
 */
export class ReviewQueue {
  constructor(
    private readonly db: () => Db,
    private readonly audit: AuditRecorder,
    private readonly postAsAuthor: PostAsAuthor,
  ) {}

  /** Throws `message_held` when this author's clientId is already waiting (a resend after a lost answer). */
  async refuseIfHeld(actor: Actor, clientId: string): Promise<void> {
    if (await findHeldByClientId(this.db(), actor.userId, clientId)) throw heldNotice();
  }

  /** Queues the message and throws `message_held` for the sender. */
  async hold(
    actor: Actor,
    conversationId: string,
    verdict: Verdict,
    clientId: string,
    attachments: readonly string[] = [],
  ): Promise<never> {
    await insertHeld(this.db(), {
      id: randomUUID(),
      conversation_id: conversationId,
      author_id: actor.userId,
      client_id: clientId,
      body: escapeText(verdict.text),
      terms: verdict.held?.terms ?? [],
      attachments: [...attachments],
      sentiment: verdict.sentiment,
    });
    throw heldNotice();
  }

  async pending(limit: number, after?: string): Promise<{ items: HeldView[]; nextAfter: string | null }> {
    const rows = await pendingHeld(this.db(), parseCursor(after), limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toHeldView), nextAfter: rows.length > limit && last ? cursorOf(last) : null };
  }

  /**
   * Posts the message, then records the decision: a crash in between leaves it pending, and approving
   * it again finds the posted message (by clientId) instead of posting twice.
   */
  async approve(context: AuditContext, moderator: Actor, id: string): Promise<MessageView> {
    const db = this.db();
    const row = await findPendingHeld(db, id);
    if (!row) throw new ChatError('not_found', 'No such held message.');
    const message = await this.postAsAuthor(row);
    await db.transaction(async (trx) => {
      const decided = await decideHeld(trx, id, {
        kind: 'approved',
        moderatorId: moderator.userId,
        messageId: message.id,
      });
      if (!decided) throw new ChatError('conflict', 'Another moderator decided on this message meanwhile.');
      await this.audit(
        auditEntry(context, {
          action: 'chat.held.approved',
          targetId: row.author_id,
          after: { heldId: id, messageId: message.id, conversationId: row.conversation_id, terms: row.terms },
        }),
        trx,
      );
    });
    return message;
  }

  async reject(context: AuditContext, moderator: Actor, id: string): Promise<void> {
    await this.db().transaction(async (trx) => {
      const row = await decideHeld(trx, id, {
        kind: 'rejected',
        moderatorId: moderator.userId,
        messageId: null,
      });
      if (!row) throw new ChatError('not_found', 'No such held message.');
      await this.audit(
        auditEntry(context, {
          action: 'chat.held.rejected',
          targetId: row.author_id,
          after: { heldId: id, conversationId: row.conversation_id, terms: row.terms },
        }),
        trx,
      );
    });
  }

  /** The queue's length and the last 24 hours' sentiment: the chat part of the admin summary. */
  async summary(now = new Date()) {
    const db = this.db();
    const since = new Date(now.getTime() - 24 * 3600 * 1000);
    const [pending, sentiment] = await Promise.all([
      countPending(db),
      sentimentSince(db, since, SENTIMENT_THRESHOLD),
    ]);
    const neutral = sentiment.messages - sentiment.positive - sentiment.negative;
    return { pending, sentiment: { since: since.toISOString(), ...sentiment, neutral } };
  }
}
