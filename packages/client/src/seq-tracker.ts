/** Where one conversation stands: every seq up to `high` was delivered, plus the ones in `ahead`. */
interface Position {
  high: number;
  ahead: Set<number>;
}

/** What `accept` decided about one message. */
export type Acceptance = 'new' | 'duplicate';

/**
 * The last seq seen per conversation, and the dedupe of messages by conversation and seq. Live frames
 * and `chat.sync` answers overlap after a reconnect; each message is let through exactly once, and
 * `after(id)` is what to ask `chat.sync` for: the highest seq below which nothing is missing.
 */
export class SeqTracker {
  private readonly positions = new Map<string, Position>();

  /**
   * Starts following a conversation at `lastSeq` (what the app already has, e.g. from the connect
   * snapshot or a history page) unless it is followed already.
   */
  follow(conversationId: string, lastSeq: number): void {
    if (!this.positions.has(conversationId))
      this.positions.set(conversationId, { high: lastSeq, ahead: new Set() });
  }

  /**
   * Records one message; `duplicate` when it was let through before. A message of a conversation not
   * followed yet starts it just before that message, so joining a busy group fetches no old history.
   */
  accept(conversationId: string, seq: number): Acceptance {
    this.follow(conversationId, seq - 1);
    const position = this.positions.get(conversationId) ?? { high: seq - 1, ahead: new Set<number>() };
    if (seq <= position.high || position.ahead.has(seq)) return 'duplicate';
    position.ahead.add(seq);
    while (position.ahead.delete(position.high + 1)) position.high += 1;
    return 'new';
  }

  /** The seq after which `chat.sync` should fetch: nothing at or below it is missing. */
  after(conversationId: string): number {
    return this.positions.get(conversationId)?.high ?? 0;
  }

  /** Whether a message was skipped (one above a gap arrived): a `chat.sync` would fill the gap. */
  hasGap(conversationId: string): boolean {
    return (this.positions.get(conversationId)?.ahead.size ?? 0) > 0;
  }

  /** Every followed conversation with its `after`, for the `chat.sync` after a reconnect. */
  syncRequest(): { id: string; after: number }[] {
    return [...this.positions].map(([id, position]) => ({ id, after: position.high }));
  }
}
