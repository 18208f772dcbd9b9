import type { Client } from '@connectrpc/connect';
import DataLoader from 'dataloader';
import type { UsersService } from '@platform/proto';
import { UserCache, type ChangeSource } from '@platform/runtime';
import type { ServiceTokenSigner } from '@platform/tokens';
import { ChatError } from '../chat/chat.types.js';

/** What chat needs to know about an account; the identity layer (users) owns it. */
export interface UserCard {
  displayName: string;
  /** May chat: active (not suspended or deactivated). Deleted accounts have no card at all. */
  active: boolean;
}

/** The accounts behind ids, as chat reads them (users' `GetUsers`, batched and briefly cached). */
export interface UserDirectory {
  /** Which of `ids` are accounts that may chat: active and not deleted. */
  activeIds(ids: readonly string[]): Promise<Set<string>>;
  /** The display name of each account among `ids`; deleted and unknown ids are absent. */
  displayNames(ids: readonly string[]): Promise<Map<string, string>>;
}

export interface UserDirectoryOptions {
  /**
   * How long an answer is reused when no account event says it changed (every change users, admin
   * and auth make raises one); 0 asks users every time (still one call per tick).
   */
  ttlMs: number;
  /** Cards remembered at most; the oldest go first. */
  maxEntries?: number;
}

/** GetUsers takes at most this many ids (MAX_IDS_PER_CALL in users). */
const MAX_BATCH = 500;

/** A cached answer; `card: null` remembers that the account does not exist (deleted or unknown). */
interface Held {
  card: UserCard | null;
}

/**
 * Asks users over gRPC with realtime's own identity (a service token: a socket outlives the access
 * token it connected with, so there is no user token to forward). Every id asked in the same tick goes
 * into one `GetUsers` (DataLoader), and answers are kept in a `UserCache` that the account events
 * clear on every instance (`user.updated`, `user.deleted`, `user.restored` through a `UserChangeFeed`),
 * so a renamed, suspended or deleted account is seen as such at once, and a group page, a burst of
 * direct messages or a member list costs at most one call. While the feed is down the cache is
 * bypassed. When users cannot answer, chat says `service_unavailable`: a write must not be accepted for
 * an account whose standing is unknown, and a member list without names would be a different answer.
 */
export class GrpcUserDirectory implements UserDirectory {
  private readonly cache: UserCache<Held>;
  private readonly loader: DataLoader<string, Held>;

  constructor(
    private readonly client: Client<typeof UsersService>,
    /** null: no identity configured; users refuses the calls (see createUserDirectory). */
    private readonly signer: ServiceTokenSigner | null,
    changes: ChangeSource,
    options: UserDirectoryOptions,
    /** Told why users could not answer (the chat error the client gets says only that). */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.cache = new UserCache(changes, { ttlMs: options.ttlMs, maxEntries: options.maxEntries ?? 10_000 });
    // DataLoader only batches; the cache is UserCache's (DataLoader's own is never cleared).
    this.loader = new DataLoader((ids) => this.fetch(ids), { cache: false, maxBatchSize: MAX_BATCH });
  }

  async activeIds(ids: readonly string[]): Promise<Set<string>> {
    const cards = await this.load(ids);
    return new Set([...cards].filter(([, card]) => card.active).map(([id]) => id));
  }

  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const cards = await this.load(ids);
    return new Map([...cards].map(([id, card]) => [id, card.displayName]));
  }

  private async load(ids: readonly string[]): Promise<Map<string, UserCard>> {
    const unique = [...new Set(ids)];
    let held: (Held | null)[];
    try {
      held = await Promise.all(unique.map((id) => this.cache.get(id, () => this.loader.load(id))));
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
      throw new ChatError('service_unavailable', 'Accounts cannot be checked right now; retry shortly.');
    }
    const found = new Map<string, UserCard>();
    unique.forEach((id, index) => {
      const card = held[index]?.card;
      if (card) found.set(id, card);
    });
    return found;
  }

  private async fetch(ids: readonly string[]): Promise<Held[]> {
    const headers: Record<string, string> =
      this.signer === null ? {} : { authorization: `Bearer ${this.signer.tokenFor('users')}` };
    const { users } = await this.client.getUsers({ ids: [...ids] }, { headers });
    const byId = new Map(
      users.map((user) => [
        user.id,
        { displayName: user.displayName, active: user.accountStatus === 'active' },
      ]),
    );
    return ids.map((id) => ({ card: byId.get(id) ?? null }));
  }
}
