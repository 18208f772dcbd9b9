import { randomUUID } from 'node:crypto';
import { AppError, type EventType, type StagedPayload } from '@platform/contracts';
import {
  createDatabaseIfMissing,
  createOrm,
  dropDatabase,
  migrateUp,
  Session,
  sessions,
  users,
  type EntityManager,
  type EventStager,
  type MikroORM,
  type User,
} from '../../src/index.js';

let orm: MikroORM;
let url: string;

beforeAll(async () => {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is unresolved: run integration tests through jest');
  const target = new URL(base);
  target.pathname = `/test_identity_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  url = target.toString();
  await createDatabaseIfMissing(url);
  orm = await createOrm({ url, poolMax: 4 });
  await migrateUp(orm);
});

afterAll(async () => {
  await orm.close(true);
  await dropDatabase(url);
});

const address = () => `u-${randomUUID().slice(0, 8)}@example.com`;
const account = (email: string, role: User['role'] = 'user') => ({
  email,
  role,
  displayName: 'Someone',
  passwordHash: null,
});

/** Records what was staged, in order, without an outbox. */
function recordingStager(): EventStager & { staged: { type: EventType; payload: unknown }[] } {
  const staged: { type: EventType; payload: unknown }[] = [];
  return {
    staged,
    stage<T extends EventType>(_em: EntityManager, type: T, payload: StagedPayload<T>) {
      staged.push({ type, payload });
    },
  };
}

async function addSession(em: EntityManager, user: User): Promise<string> {
  const now = new Date();
  const session = em.create(Session, {
    id: randomUUID(),
    user,
    userAgent: 'test',
    ip: '127.0.0.1',
    remember: false,
    createdAt: now,
    authenticatedAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + 3600_000),
    revokedAt: null,
    revokedReason: null,
  });
  await em.flush();
  return session.id;
}

describe('users.insert', () => {
  it('answers email_taken to the loser of two concurrent inserts of one address', async () => {
    const email = address();
    const results = await Promise.allSettled(
      [0, 1, 2].map(() => users.insert(orm.em.fork(), account(email))),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const reason of lost) {
      expect(reason).toBeInstanceOf(AppError);
      expect(reason).toMatchObject({ code: 'email_taken', status: 409 });
    }
    expect(await orm.em.fork().count('User', { email })).toBe(1);
  });

  it('answers email_taken for an address a deleted account still holds', async () => {
    const email = address();
    const first = await users.insert(orm.em.fork(), account(email));
    const em = orm.em.fork();
    const stored = await users.findById(em, first.id);
    if (!stored) throw new Error('the account was not stored');
    stored.deletedAt = new Date();
    await em.flush();
    await expect(users.insert(orm.em.fork(), account(email))).rejects.toMatchObject({ code: 'email_taken' });
  });
});

describe('users.find*', () => {
  it('tells active, existing and any accounts apart', async () => {
    const em = orm.em.fork();
    const suspended = await users.insert(em, account(address()));
    suspended.status = 'suspended';
    await em.flush();
    const reader = orm.em.fork();
    expect(await users.findActiveById(reader, suspended.id)).toBeNull();
    expect(await users.findExistingById(reader, suspended.id)).not.toBeNull();
    expect(await users.findByEmail(reader, suspended.email, { standing: 'active' })).toBeNull();
    expect(await users.findByEmail(reader, suspended.email)).not.toBeNull();
  });
});

describe('sessions.revokeAllFor', () => {
  it('revokes every open session but the one kept and stages session.revoked for each', async () => {
    const em = orm.em.fork();
    const user = await users.insert(em, account(address()));
    const kept = await addSession(em, user);
    const others = [await addSession(em, user), await addSession(em, user)];
    const events = recordingStager();

    const revoked = await sessions.revokeAllFor(em, events, user.id, 'password_changed', { except: kept });
    await em.flush();

    expect(revoked.sort()).toEqual([...others].sort());
    expect(events.staged.map((event) => event.type)).toEqual(['session.revoked', 'session.revoked']);
    const open = await orm.em.fork().find(Session, { user: user.id, revokedAt: null });
    expect(open.map((session) => session.id)).toEqual([kept]);
  });
});
