import { randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '@platform/contracts';
import { Errors } from '@platform/contracts';
import { User } from '../entities/user.entity.js';
import type { PublicUserSource, UserCardSource } from './public-user.js';

/** The stored fields of a new, active, unverified account; pass the result to `em.create(User, ...)`. */
export function newUserData(fields: NewUser): User {
  const now = fields.createdAt ?? new Date();
  return {
    id: randomUUID(),
    email: fields.email,
    passwordHash: fields.passwordHash,
    role: fields.role,
    status: 'active',
    displayName: fields.displayName,
    avatarUrl: null,
    statusText: null,
    emailVerifiedAt: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}

/** What a new account is made of; the rest (id, status, times) is decided here. */
export interface NewUser {
  email: string;
  role: Role;
  displayName: string;
  passwordHash: string | null;
  createdAt?: Date;
}

/** How to load: with the password hash (lazy, so absent unless asked), under a row lock. */
export interface UserLoad {
  withPassword?: boolean;
  /** FOR UPDATE until the caller's transaction ends; only inside `em.transactional`. */
  lock?: boolean;
}

/** A `PublicUserSource` as the driver returns it. */
type PublicUserRow = Omit<PublicUserSource, 'createdAt' | 'emailVerifiedAt'> & {
  createdAt: string;
  emailVerifiedAt: string | null;
};

const emailTaken = () => Errors.conflict('email_taken', 'An account with this email already exists.');

function loadOptions({ withPassword = false, lock = false }: UserLoad) {
  return {
    ...(withPassword ? { populate: ['passwordHash'] as const } : {}),
    ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}),
  };
}

/**
 * The identity queries on `users`, with the rules of who counts: an account "exists" until it is
 * soft-deleted, and is "active" while it also is neither suspended nor deactivated.
 */
export const users = {
  /** Any account, soft-deleted ones included (admin has to see one to restore it). */
  findById(em: EntityManager, id: string, load: UserLoad = {}): Promise<User | null> {
    return em.findOne(User, { id }, loadOptions(load));
  },

  /** An account that is not soft-deleted, whatever its status. */
  findExistingById(em: EntityManager, id: string, load: UserLoad = {}): Promise<User | null> {
    return em.findOne(User, { id, deletedAt: null }, loadOptions(load));
  },

  /**
   * The fields clients see of an account that is not soft-deleted (map them with `toPublicUser`). One
   * statement, without the entity layer: this is the read behind every GET /profile, where MikroORM's
   * query building and hydration cost more CPU than the rest of the request (docs/benchmarks.md).
   * Nothing is put in `em`'s identity map, so the result is not for changing.
   */
  async findPublicFieldsById(em: EntityManager, id: string): Promise<PublicUserSource | null> {
    const rows = await em.execute<PublicUserRow[]>(
      `select id, email, role, status, display_name as "displayName", avatar_url as "avatarUrl",
              status_text as "statusText", email_verified_at as "emailVerifiedAt", created_at as "createdAt"
         from users
        where id = ? and deleted_at is null`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    // The driver hands timestamps over as text (MikroORM's setting); the entity layer would parse them so.
    return {
      ...row,
      createdAt: new Date(row.createdAt),
      emailVerifiedAt: row.emailVerifiedAt === null ? null : new Date(row.emailVerifiedAt),
    };
  },

  /**
   * The card fields of the accounts among `ids` (valid UUIDs) that are not soft-deleted, in one
   * statement without the entity layer, as `findPublicFieldsById`: this is the batched read behind
   * every gRPC GetUsers and GET /people. Unknown ids are absent; the order is the database's.
   */
  async findCardsByIds(em: EntityManager, ids: readonly string[]): Promise<UserCardSource[]> {
    if (ids.length === 0) return [];
    const rows = await em.execute<(Omit<UserCardSource, 'createdAt'> & { createdAt: string })[]>(
      `select id, role, status, display_name as "displayName", avatar_url as "avatarUrl",
              created_at as "createdAt"
         from users
        where id in (?) and deleted_at is null`,
      [[...ids]],
    );
    return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
  },

  /** An account that may sign in and act: active and not deleted. */
  findActiveById(em: EntityManager, id: string, load: UserLoad = {}): Promise<User | null> {
    return em.findOne(User, { id, status: 'active', deletedAt: null }, loadOptions(load));
  },

  /**
   * The account holding a (normalised) address. `standing` narrows it as above; by default any
   * account, since a deleted one still holds its address.
   */
  findByEmail(
    em: EntityManager,
    email: string,
    { standing = 'any', ...load }: UserLoad & { standing?: 'any' | 'existing' | 'active' } = {},
  ): Promise<User | null> {
    const where =
      standing === 'active'
        ? { email, status: 'active' as const, deletedAt: null }
        : standing === 'existing'
          ? { email, deletedAt: null }
          : { email };
    return em.findOne(User, where, loadOptions(load));
  },

  /** Whether an account (deleted ones included) holds the address: a cheap check before hashing. */
  async emailInUse(em: EntityManager, email: string): Promise<boolean> {
    return (await em.count(User, { email })) > 0;
  },

  /** Refuses (409 `email_taken`) an address some account holds: saves hashing a password for nothing. */
  async assertEmailFree(em: EntityManager, email: string): Promise<void> {
    if (await users.emailInUse(em, email)) throw emailTaken();
  },

  /**
   * Locks every active admin row until `em`'s transaction ends and returns their ids, in id order so
   * two transactions taking them never deadlock. Raw SQL (see architecture.md, "Data access"): the
   * ORM has no lock-only query.
   */
  async lockActiveAdminIds(em: EntityManager): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `select id from users
        where role = 'admin' and status = 'active' and deleted_at is null
        order by id
        for update`,
    );
    return rows.map((row) => row.id);
  },

  /** How many accounts (soft-deleted ones left out) there are of each role and status. */
  async countByRoleAndStatus(em: EntityManager): Promise<{ role: string; status: string; count: number }[]> {
    const rows = await em.execute<{ role: string; status: string; count: string }[]>(
      'select role, status, count(*) as count from users where deleted_at is null group by role, status',
    );
    // count(*) is a bigint, which the driver reads as text.
    return rows.map((row) => ({ role: row.role, status: row.status, count: Number(row.count) }));
  },

  /** Adds a new account to `em`'s unit of work; the caller's `commit` writes it with what goes along. */
  stage(em: EntityManager, fields: NewUser): User {
    return em.create(User, newUserData(fields));
  },

  /**
   * Inserts an account with whatever `alongside` adds to the unit of work for it (its events, links,
   * mails, audit record): one transaction. A taken address answers 409 `email_taken`, decided by the
   * unique index, so two concurrent inserts cannot both win.
   */
  async insert(em: EntityManager, fields: NewUser, alongside?: (user: User) => void): Promise<User> {
    const user = users.stage(em, fields);
    alongside?.(user);
    await users.commit(em);
    return user;
  },

  /**
   * Flushes `em` where it may write an address (a new account, a changed email): a unique violation
   * becomes 409 `email_taken`, the one place that rule is written.
   */
  async commit(em: EntityManager): Promise<void> {
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
  },
};
