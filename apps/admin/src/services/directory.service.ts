import type { FilterQuery } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { PRESENCE_ONLINE_KEY, ROLES } from '@platform/contracts';
import type { ListUsersQuery, MediaUrlSigning } from '@platform/contracts';
import { Session, toPublicUser, User, users, USER_STATUSES, type EntityManager } from '@platform/db';
import { assertThat, Errors } from '@platform/http';

/** `%`, `_` and `\` are wildcards in LIKE; a search for "a_b" must mean exactly that. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Read side of user administration: the summary and the directory. */
export class DirectoryService {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
    private readonly mediaUrls: MediaUrlSigning,
  ) {}

  async summary() {
    const rows = await users.countByRoleAndStatus(this.em);
    const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<string, number>;
    const byStatus = Object.fromEntries(USER_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    let total = 0;
    for (const { count, ...row } of rows) {
      total += count;
      byRole[row.role] = (byRole[row.role] ?? 0) + count;
      byStatus[row.status] = (byStatus[row.status] ?? 0) + count;
    }
    const activeSessions = await this.em.count(Session, { revokedAt: null, expiresAt: { $gt: new Date() } });
    const online = await this.redis.zcount(PRESENCE_ONLINE_KEY, Date.now(), '+inf');
    return { users: { total, byRole, byStatus }, sessions: { active: activeSessions }, online };
  }

  /** One page of users, newest first; stable under ties by id. `offset` overrides the page number. */
  async list(query: ListUsersQuery, offset = (query.page - 1) * query.size) {
    const where: FilterQuery<User> = { deletedAt: query.deleted ? { $ne: null } : null };
    if (query.role) where.role = query.role;
    if (query.status) where.status = query.status;
    if (query.q) {
      const pattern = likePattern(query.q);
      where.$or = [{ email: { $ilike: pattern } }, { displayName: { $ilike: pattern } }];
    }
    const [found, total] = await this.em.findAndCount(User, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: query.size,
      offset,
    });
    return {
      users: found.map((user) => toPublicUser(user, this.mediaUrls)),
      page: query.page,
      size: query.size,
      total,
    };
  }

  /** One account, soft-deleted ones included: an admin has to see an account to restore it. */
  async get(id: string) {
    const user = await users.findById(this.em, id);
    assertThat(user, () => Errors.notFound('No such user.'));
    return toPublicUser(user, this.mediaUrls);
  }
}
