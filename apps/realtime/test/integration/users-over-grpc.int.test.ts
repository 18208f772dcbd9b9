import { Code, ConnectError } from '@connectrpc/connect';
import { createGrpcClient } from '@platform/grpc';
import { UsersService } from '@platform/proto';
import { apiClient, eventually, uniqueId, type SeededUser } from '@platform/testkit';
import { generateKeyPair, KeyRing, parseKeySet, ServiceTokenSigner } from '@platform/tokens';
import { connect, ofType, realtimeWorld, type Instance, type RealtimeWorld } from './harness.js';

type Member = { userId: string; displayName: string; role: string };

/** GetUsers calls users has answered so far, whatever their outcome. */
async function getUsersCalls(world: RealtimeWorld): Promise<number> {
  const metric = await world.users.http.resources.registry
    .getSingleMetric('grpc_server_handled_total')
    ?.get();
  return (metric?.values ?? [])
    .filter((value) => value.labels.grpc_method === 'GetUsers')
    .reduce((sum, value) => sum + value.value, 0);
}

/**
 * A login role that may use every table realtime owns but not `users`: an instance running as it
 * proves realtime reads accounts from users' gRPC port, never from users' table.
 */
async function roleWithoutUsersTable(world: RealtimeWorld): Promise<{ url: string; drop(): Promise<void> }> {
  const role = uniqueId('rt').replaceAll('-', '_').toLowerCase();
  const knex = world.orm.em.getKnex();
  await knex.raw(`create role ${role} login`);
  await knex.raw(`grant usage on schema public to ${role}`);
  await knex.raw(`grant select, insert, update, delete on all tables in schema public to ${role}`);
  await knex.raw(`grant usage, select on all sequences in schema public to ${role}`);
  await knex.raw(`revoke all on users from ${role}`);
  const url = new URL(world.env.env.DATABASE_URL ?? '');
  url.username = role;
  return {
    url: url.toString(),
    async drop() {
      await knex.raw(`drop owned by ${role}`);
      await knex.raw(`drop role ${role}`);
    },
  };
}

describe('realtime asks users over gRPC, with its own identity', () => {
  let world: RealtimeWorld;
  let instance: Instance;
  let restricted: Awaited<ReturnType<typeof roleWithoutUsersTable>>;

  beforeAll(async () => {
    world = await realtimeWorld();
    restricted = await roleWithoutUsersTable(world);
    // No cache: each read below asks users afresh (the cache has its own test).
    instance = await world.start({ DATABASE_URL: restricted.url, USERS_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await instance.stop();
    await restricted.drop();
    await world.close();
  });

  const chatApi = () => apiClient(instance.url);
  const groupOf = async (owner: SeededUser, members: SeededUser[]) => {
    const created = await chatApi().post<{ id: string; members: Member[] }>('/chat/groups', {
      token: owner.accessToken,
      body: { name: 'Friends', members: members.map((member) => member.id) },
    });
    expect(created.status).toBe(201);
    return created.body;
  };

  it("shows a display name changed through users in a group's members, without reading users' table", async () => {
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    const group = await groupOf(ada, [bob]);
    expect(group.members.map((member) => member.displayName).sort()).toEqual(['Ada', 'Bob']);
    const renamed = await apiClient(world.users.http.url).patch('/profile', {
      token: bob.accessToken,
      body: { displayName: 'Robert' },
    });
    expect(renamed.status).toBe(200);
    const read = await chatApi().get<{ members: Member[] }>(`/chat/groups/${group.id}`, {
      token: ada.accessToken,
    });
    expect(read.body.members.find((member) => member.userId === bob.id)?.displayName).toBe('Robert');
  });

  it("asks users once for a whole group's members, not once per member", async () => {
    const [owner, ...others] = await Promise.all(Array.from({ length: 6 }, () => world.seedUser()));
    if (owner === undefined) throw new Error('no owner');
    const group = await groupOf(owner, others);
    const before = await getUsersCalls(world);
    const read = await chatApi().get<{ members: Member[] }>(`/chat/groups/${group.id}`, {
      token: owner.accessToken,
    });
    expect(read.body.members).toHaveLength(6);
    expect((await getUsersCalls(world)) - before).toBe(1);
  });

  it('batches the lookups of one tick into one call and reuses answers within USERS_CACHE_TTL_MS', async () => {
    const directory = world.userDirectory({ USERS_CACHE_TTL_MS: '60000' });
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    const before = await getUsersCalls(world);
    const [names, active] = await Promise.all([
      directory.displayNames([ada.id]),
      directory.activeIds([ada.id, bob.id]),
    ]);
    expect([...names.values()]).toEqual(['Ada']);
    expect(active).toEqual(new Set([ada.id, bob.id]));
    expect(await directory.displayNames([bob.id])).toEqual(new Map([[bob.id, 'Bob']]));
    expect((await getUsersCalls(world)) - before).toBe(1);
  });

  /** What the socket answers a direct message from `from` to `to` on `at`: the ack or the error frame. */
  const directMessage = async (at: Instance, from: SeededUser, to: string, clientId: string) => {
    const socket = await connect(at, from.accessToken);
    try {
      await socket.next(ofType('chat.snapshot'));
      socket.send({ type: 'chat.send', to, text: 'hi', clientId });
      return await socket.next(
        (f) =>
          (f.type === 'error' && f.ref === clientId) || (f.type === 'chat.ack' && f.clientId === clientId),
      );
    } finally {
      await socket.close();
    }
  };

  it('delivers a direct message to an active account and refuses an unknown one, as before', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    expect(await directMessage(instance, ada, bob.id, 'dm-1')).toMatchObject({ type: 'chat.ack' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await directMessage(instance, ada, unknown, 'dm-2')).toMatchObject({ code: 'not_found' });
  });

  it('sees a rename and a suspension at once, through the account events, however long it keeps answers', async () => {
    // Ten minutes: only the events can make these changes visible within the test.
    const keeping = await world.start({ USERS_CACHE_TTL_MS: '600000' });
    try {
      const api = apiClient(keeping.url);
      const [ada, bob, carol] = await Promise.all([
        world.seedUser('Ada'),
        world.seedUser('Bob'),
        world.seedUser('Carol'),
      ]);
      const created = await api.post<{ id: string; members: Member[] }>('/chat/groups', {
        token: ada.accessToken,
        body: { name: 'Kept', members: [bob.id] },
      });
      expect(created.status).toBe(201);
      const nameOfBob = async () => {
        const read = await api.get<{ members: Member[] }>(`/chat/groups/${created.body.id}`, {
          token: ada.accessToken,
        });
        return read.body.members.find((member) => member.userId === bob.id)?.displayName;
      };
      expect(await nameOfBob()).toBe('Bob');
      // Kept: reading the group again asks users nothing.
      const asked = await getUsersCalls(world);
      expect(await nameOfBob()).toBe('Bob');
      expect(await getUsersCalls(world)).toBe(asked);
      // Users renames and raises user.updated through its outbox, as it does in production.
      const renamed = await apiClient(world.users.http.url).patch('/profile', {
        token: bob.accessToken,
        body: { displayName: 'Robert' },
      });
      expect(renamed.status).toBe(200);
      await eventually('the new name in the group', async () => (await nameOfBob()) === 'Robert');

      // Carol's standing is asked (and kept) by a direct message, then an admin suspends her.
      expect(await directMessage(keeping, ada, carol.id, 'kept-1')).toMatchObject({ type: 'chat.ack' });
      await world.orm.em.fork().execute(`update users set status = 'suspended' where id = ?`, [carol.id]);
      await world.publishEvent('user.updated', { userId: carol.id, changes: ['status'] });
      await eventually('a suspended account refused as a new member', async () => {
        const added = await api.post(`/chat/groups/${created.body.id}/members`, {
          token: ada.accessToken,
          body: { userId: carol.id },
        });
        return added.status === 404;
      });
    } finally {
      await keeping.stop();
    }
  });

  describe("users' GetUsers", () => {
    const client = () => createGrpcClient(UsersService, { url: world.users.grpcUrl, timeoutMs: 3000 });
    const realtimeSigner = () =>
      new ServiceTokenSigner(
        'realtime',
        new KeyRing('EdDSA', parseKeySet(world.env.env.SERVICE_TOKEN_KEYS ?? '', 'private')),
      );
    const codeOf = (error: unknown) => ConnectError.from(error).code;

    it('refuses a call without an identity (UNAUTHENTICATED)', async () => {
      const ada = await world.seedUser();
      const refused = await client()
        .getUsers({ ids: [ada.id] })
        .catch((error: unknown) => error);
      expect(codeOf(refused)).toBe(Code.Unauthenticated);
    });

    it("answers realtime's service token, and only for what users grants it", async () => {
      const ada = await world.seedUser('Ada');
      const headers = { authorization: `Bearer ${realtimeSigner().tokenFor('users')}` };
      const { users } = await client().getUsers({ ids: [ada.id] }, { headers });
      // A service sees the public profile, never the role.
      expect(users).toEqual([expect.objectContaining({ id: ada.id, displayName: 'Ada', role: '' })]);
      const other = await client()
        .getProfile({}, { headers })
        .catch((error: unknown) => error);
      expect(codeOf(other)).toBe(Code.PermissionDenied);
    });

    it("refuses realtime's token meant for another service, and a key users does not trust", async () => {
      const ada = await world.seedUser();
      const forAdmin = { authorization: `Bearer ${realtimeSigner().tokenFor('admin')}` };
      const wrongAudience = await client()
        .getUsers({ ids: [ada.id] }, { headers: forAdmin })
        .catch((error: unknown) => error);
      expect(codeOf(wrongAudience)).toBe(Code.Unauthenticated);
      const { privateJwk } = generateKeyPair('EdDSA');
      const impostor = new ServiceTokenSigner(
        'realtime',
        new KeyRing('EdDSA', parseKeySet(JSON.stringify([privateJwk]), 'private')),
      );
      const untrusted = await client()
        .getUsers({ ids: [ada.id] }, { headers: { authorization: `Bearer ${impostor.tokenFor('users')}` } })
        .catch((error: unknown) => error);
      expect(codeOf(untrusted)).toBe(Code.Unauthenticated);
    });
  });

  it('answers service_unavailable for a direct message when realtime has no identity to ask users with', async () => {
    const anonymous = await world.start({ SERVICE_TOKEN_KEYS: '' });
    // (The empty value unsets the key: the instance starts without a service identity.)
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    expect(await directMessage(anonymous, ada, bob.id, 'dm-3')).toMatchObject({
      type: 'error',
      code: 'service_unavailable',
    });
  });
});
