import type { Client } from '@connectrpc/connect';
import DataLoader from 'dataloader';
import type { UsersService } from '@platform/proto';
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
  /** How long an answer is reused; 0 asks users every time (still one call per tick). */
  ttlMs: number;
  /** Cards remembered at most; the oldest go first. */
  maxEntries?: number;
}

/** GetUsers takes at most this many ids (MAX_IDS_PER_CALL in users). */
const MAX_BATCH = 500;

/**
 * Asks users over gRPC with realtime's own identity (a service token: a socket outlives the access
 * token it connected with, so there is no user token to forward). Every id asked in the same tick goes
 * into one `GetUsers` (DataLoader), and answers are reused for `ttlMs`, so a group page, a burst of
 * direct messages or a member list costs one call, not one per message or member. When users cannot
 * answer, chat says `service_unavailable`: a write must not be accepted for an account whose standing
 * is unknown, and a member list without names would be a different answer.
 */
export class GrpcUserDirectory implements UserDirectory {
  private readonly cards = new Map<string, { card: UserCard | null; expiresAt: number }>();
  private readonly loader: DataLoader<string, UserCard | null>;
  private readonly maxEntries: number;

  constructor(
    private readonly client: Client<typeof UsersService>,
    /** null: no identity configured; users refuses the calls (see createUserDirectory). */
    private readonly signer: ServiceTokenSigner | null,
    private readonly options: UserDirectoryOptions,
    /** Told why users could not answer (the chat error the client gets says only that). */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    // DataLoader only batches; the TTL cache below is ours (DataLoader's own never expires).
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
    const now = Date.now();
    const found = new Map<string, UserCard>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const held = this.cards.get(id);
      if (held !== undefined && held.expiresAt > now) {
        if (held.card !== null) found.set(id, held.card);
      } else missing.push(id);
    }
    if (missing.length === 0) return found;
    let loaded: (UserCard | null | Error)[];
    try {
      loaded = await this.loader.loadMany(missing);
    } catch (error) {
      loaded = missing.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    missing.forEach((id, index) => {
      const card = loaded[index];
      if (card instanceof Error || card === undefined) {
        this.onError(card ?? new Error('no answer'));
        throw new ChatError('service_unavailable', 'Accounts cannot be checked right now; retry shortly.');
      }
      this.remember(id, card, now);
      if (card !== null) found.set(id, card);
    });
    return found;
  }

  private async fetch(ids: readonly string[]): Promise<(UserCard | null)[]> {
    const headers: Record<string, string> =
      this.signer === null ? {} : { authorization: `Bearer ${this.signer.tokenFor('users')}` };
    const { users } = await this.client.getUsers({ ids: [...ids] }, { headers });
    const byId = new Map(
      users.map((user) => [
        user.id,
        { displayName: user.displayName, active: user.accountStatus === 'active' },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  private remember(id: string, card: UserCard | null, now: number): void {
    if (this.options.ttlMs === 0) return;
    this.cards.delete(id);
    if (this.cards.size >= this.maxEntries) {
      const oldest = this.cards.keys().next();
      if (!oldest.done) this.cards.delete(oldest.value);
    }
    this.cards.set(id, { card, expiresAt: now + this.options.ttlMs });
  }
}
