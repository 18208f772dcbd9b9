import { avatarUrlFor, can, Errors, type AccessClaims, type MediaUrlSigning } from '@platform/contracts';
import { users, type EntityManager, type UserCardSource } from '@platform/db';

/** Who reads: a signed-in user, or another service with its own identity (it sees no roles). */
export type Viewer = AccessClaims | { service: string };

/** At most this many ids in one GetUsers call: a page of authors, never the whole table. */
export const MAX_IDS_PER_CALL = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What another service learns about an account: its public profile, never its email. */
export interface UserCard {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  /** Only for callers who may read the directory (`users:read`), or about themselves. */
  role: string | null;
  accountStatus: string;
  createdAt: Date;
}

/**
 * Reads of accounts for other services (gRPC): many ids in one query. Any signed-in caller may read
 * the public profile (chat already shows display names to every member); the role is what REST's
 * directory shows, so only `users:read` holders (managers, admins) or the user themselves get it.
 */
export class UserDirectoryService {
  constructor(
    private readonly em: EntityManager,
    private readonly mediaUrls: MediaUrlSigning,
  ) {}

  /** The existing accounts among `ids`; unknown, deleted and malformed ids are simply absent. */
  async cards(caller: Viewer, ids: readonly string[]): Promise<UserCard[]> {
    if (ids.length > MAX_IDS_PER_CALL)
      throw Errors.validation([{ path: 'ids', message: `At most ${MAX_IDS_PER_CALL} ids per call.` }]);
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
    const found = await users.findCardsByIds(this.em, wanted);
    return found.map((user) => this.cardFor(caller, user));
  }

  /** One existing account, or `not_found`. */
  async card(caller: AccessClaims, id: string): Promise<UserCard> {
    const [card] = await this.cards(caller, [id]);
    if (card === undefined) throw Errors.notFound('No such user.');
    return card;
  }

  private cardFor(caller: Viewer, user: UserCardSource): UserCard {
    const seesRole = 'sub' in caller && (caller.sub === user.id || can(caller.role, 'users:read'));
    return {
      id: user.id,
      displayName: user.displayName,
      avatarUrl: avatarUrlFor(user.avatarUrl, this.mediaUrls),
      role: seesRole ? user.role : null,
      accountStatus: user.status,
      createdAt: user.createdAt,
    };
  }
}
