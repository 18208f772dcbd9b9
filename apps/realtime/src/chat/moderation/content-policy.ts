import type { ModerationAction } from '@platform/contracts';
import type { Db } from '../chat-db.js';
import { ChatError } from '../chat.types.js';
import { sentimentBand, type ContentScreen, type SentimentScorer } from './content-screen.js';
import { findPolicy, updatePolicy } from './moderation.queries.js';

const POLICY_CACHE_MAX = 10_000;

/** What the policy decided about one text: what to store, its sentiment, and whether it waits for review. */
export interface Verdict {
  /** The text to store (cleaned, not yet escaped): as written, or masked. */
  text: string;
  sentiment: number;
  /** Set when the conversation holds flagged text for review: the words that flagged it. */
  held: { terms: string[] } | null;
}

/** Counts what moderation did, for the metrics (`off` text that was flagged counts as `allowed`). */
export type ModerationObserver = (outcome: {
  action: 'clean' | 'allowed' | 'masked' | 'held' | 'refused';
  sentiment: ReturnType<typeof sentimentBand>;
  score: number;
}) => void;

export interface ContentPolicyOptions {
  screen: ContentScreen;
  sentiment: SentimentScorer;
  /** CHAT_MODERATION_ACTION: what a conversation without its own action does. */
  defaultAction: ModerationAction;
  observe?: ModerationObserver;
  /** How long an instance trusts a conversation's action before reading it again (default 5 s). */
  policyTtlMs?: number;
}

/**
 * Applies a conversation's moderation action to new text: `off` stores it as written, `mask` stars
 * the flagged words, `hold` sends it to the review queue, `refuse` answers `message_refused`. Each
 * conversation's action is read once per `policyTtlMs` per instance, so a change made on another
 * instance applies everywhere within that time without a query per message.
 */
export class ContentPolicy {
  private readonly cache = new Map<string, { action: ModerationAction; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly db: () => Db,
    private readonly options: ContentPolicyOptions,
  ) {
    this.ttlMs = options.policyTtlMs ?? 5000;
  }

  /** The verdict on `cleaned` (cleaned, unescaped text) in this conversation; throws when it is refused. */
  async review(conversationId: string, cleaned: string, editing = false): Promise<Verdict> {
    const score = this.options.sentiment.score(cleaned);
    const screening = this.options.screen.screen(cleaned);
    const action = screening.flagged ? await this.actionOf(conversationId) : 'off';
    const observe = (outcome: Parameters<ModerationObserver>[0]['action']) =>
      this.options.observe?.({ action: outcome, sentiment: sentimentBand(score), score });
    if (!screening.flagged) {
      observe('clean');
      return { text: cleaned, sentiment: score, held: null };
    }
    // A held edit would leave the old text showing while it waits: refused instead.
    if (action === 'refuse' || (action === 'hold' && editing)) {
      observe('refused');
      throw new ChatError('message_refused', 'This conversation does not accept that wording.');
    }
    if (action === 'hold') {
      observe('held');
      return { text: cleaned, sentiment: score, held: { terms: screening.terms } };
    }
    observe(action === 'mask' ? 'masked' : 'allowed');
    return { text: action === 'mask' ? screening.masked : cleaned, sentiment: score, held: null };
  }

  /** The conversation's effective action (its own, else the default); `not_found` when it does not exist. */
  async actionOf(conversationId: string): Promise<ModerationAction> {
    const cached = this.cache.get(conversationId);
    if (cached && cached.until > Date.now()) return cached.action;
    const row = await findPolicy(this.db(), conversationId);
    if (!row) throw new ChatError('not_found', 'No such conversation.');
    const action = row.moderation ?? this.options.defaultAction;
    // Only flagged text reads the action, so this stays small; the bound keeps it so under abuse.
    if (this.cache.size >= POLICY_CACHE_MAX) this.cache.clear();
    this.cache.set(conversationId, { action, until: Date.now() + this.ttlMs });
    return action;
  }

  /** Sets a conversation's own action (null: the default again); returns the old one for the audit. */
  /** Sets a conversation's policy, in `db` when given (a transaction that also writes its audit record). */
  async set(
    conversationId: string,
    action: ModerationAction | null,
    db: Db = this.db(),
  ): Promise<{ before: ModerationAction | null; effective: ModerationAction }> {
    const updated = await updatePolicy(db, conversationId, action);
    if (!updated) throw new ChatError('not_found', 'No such conversation.');
    this.cache.delete(conversationId);
    return { before: updated.before, effective: action ?? this.options.defaultAction };
  }
}
