import { BoundedCache } from './bounded-cache.js';

/** Where a `UserCache` learns that its copies may be wrong: see `UserChangeFeed`. */
export interface ChangeSource {
  /** False while changes could be missed (no live subscription): the cache then holds nothing. */
  isCurrent(): boolean;
  /** Calls `onChange(userId)` for each changed user, and `onChange(null)` when changes may have been missed. */
  watch(onChange: (userId: string | null) => void): void;
}

export interface UserCacheOptions {
  maxEntries: number;
  ttlMs: number;
  /** Told of every lookup, e.g. to count hits in a metric. */
  onLookup?: (result: 'hit' | 'miss' | 'bypass') => void;
}

/**
 * Records keyed by user id, read from the owning store on a miss and kept in this process until the
 * user changes (an account event), the entry expires, or the cache is full. The expiry bounds how
 * long a change that raised no event could be served stale; the events make every other change
 * visible on every instance as soon as the broker delivers them.
 *
 * A load that a change overtakes is answered but not kept: each change bumps a counter, and a value
 * is stored only if the counter did not move while it was being read.
 */
export class UserCache<V> {
  private readonly entries: BoundedCache<V>;
  private changes = 0;

  constructor(
    private readonly source: ChangeSource,
    private readonly options: UserCacheOptions,
  ) {
    this.entries = new BoundedCache(options.maxEntries, options.ttlMs);
    source.watch((userId) => (userId === null ? this.forgetAll() : this.forget(userId)));
  }

  /** The cached record, or `load()`'s; `null` (no such user) is never kept. */
  async get(userId: string, load: () => Promise<V | null>): Promise<V | null> {
    if (!this.source.isCurrent()) {
      this.forgetAll();
      this.options.onLookup?.('bypass');
      return load();
    }
    const cached = this.entries.get(userId);
    if (cached !== undefined) {
      this.options.onLookup?.('hit');
      return cached;
    }
    this.options.onLookup?.('miss');
    const before = this.changes;
    const value = await load();
    if (value !== null && this.changes === before) this.entries.set(userId, value);
    return value;
  }

  /** Drops one user's record, e.g. right after this process changed it. */
  forget(userId: string): void {
    this.changes++;
    this.entries.delete(userId);
  }

  forgetAll(): void {
    this.changes++;
    this.entries.clear();
  }
}
