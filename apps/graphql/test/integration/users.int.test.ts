import type { Envelope } from '@platform/contracts';
import { apiClient, eventually, seedUser, type SeededUser } from '@platform/testkit';
import { startWorld, type GatewayWorld } from './harness.js';

let world: GatewayWorld;
const seed = (fields: Parameters<typeof seedUser>[1] = {}): Promise<SeededUser> =>
  seedUser({ orm: world.users.resources.orm, tokens: world.env.tokens }, fields);

/** What reached the `logs` queue (request logs and audit records), as worker-logs would get it. */
const logs: Envelope[] = [];

beforeAll(async () => {
  world = await startWorld();
  await world.admin.resources.bus.consume('logs', async (envelope) => {
    logs.push(envelope);
  });
});
afterAll(async () => {
  await world.close();
});

describe('query me', () => {
  it("answers the caller's own profile from users over gRPC", async () => {
    const me = await seed({ displayName: 'Ada Lovelace' });
    const answer = await world.query(
      '{ me { id email role displayName avatarUrl accountStatus emailVerified createdAt } }',
      {},
      me.accessToken,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.me).toEqual({
      id: me.id,
      email: me.email,
      role: 'USER',
      displayName: 'Ada Lovelace',
      avatarUrl: null,
      accountStatus: 'ACTIVE',
      emailVerified: expect.any(Boolean),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
  });

  it('refuses a request without a token with extensions.code unauthorized', async () => {
    const answer = await world.query('{ me { id } }');
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['unauthorized']);
    expect(answer.data).toBeNull();
  });

  it('refuses a revoked token with token_revoked, as REST does', async () => {
    const me = await seed();
    await world.gateway.resources.denylist.revokeSession(me.sessionId);
    const answer = await world.query('{ me { id } }', {}, me.accessToken);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['token_revoked']);
  });
});

describe("me from the gateway's profile cache", () => {
  /** GetProfile calls the gateway has started so far. */
  const getProfileCalls = async () =>
    (await world.gateway.resources.registry.getSingleMetric('grpc_client_started_total')?.get())?.values
      .filter((v) => v.labels.grpc_method === 'GetProfile')
      .reduce((sum, v) => sum + v.value, 0) ?? 0;
  const myName = async (token: string) =>
    (await world.query<{ me: { displayName: string } }>('{ me { displayName } }', {}, token)).data?.me
      .displayName;

  it('asks users once, then answers from memory', async () => {
    const me = await seed({ displayName: 'Once' });
    const before = await getProfileCalls();
    expect(await myName(me.accessToken)).toBe('Once');
    expect(await myName(me.accessToken)).toBe('Once');
    expect(await myName(me.accessToken)).toBe('Once');
    expect((await getProfileCalls()) - before).toBe(1);
  });

  it('shows a change made through the REST API at once, from the account event', async () => {
    const me = await seed({ displayName: 'Before' });
    expect(await myName(me.accessToken)).toBe('Before');
    const patched = await apiClient(world.users.url).patch('/profile', {
      token: me.accessToken,
      body: { displayName: 'After' },
    });
    expect(patched.status).toBe(200);
    // Well within USERS_CACHE_TTL_MS (30 s): only the event can have cleared it.
    await eventually(
      'the new name through GraphQL',
      async () => (await myName(me.accessToken)) === 'After',
      5_000,
    );
  });

  it("shows the caller's own updateProfile on the next read", async () => {
    const me = await seed({ displayName: 'Old name' });
    expect(await myName(me.accessToken)).toBe('Old name');
    const update = await world.query(
      'mutation { updateProfile(input: { displayName: "New name" }) { displayName } }',
      {},
      me.accessToken,
    );
    expect(update.errors).toBeUndefined();
    expect(await myName(me.accessToken)).toBe('New name');
  });

  it('still refuses a revoked session whose profile is kept', async () => {
    const me = await seed();
    expect(await myName(me.accessToken)).toBeDefined();
    await world.gateway.resources.denylist.revokeSession(me.sessionId);
    const answer = await world.query('{ me { id } }', {}, me.accessToken);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['token_revoked']);
  });
});

describe('query user(id)', () => {
  it("shows another user's public profile, the role only to those who may read the directory", async () => {
    const member = await seed();
    const manager = await seed({ role: 'manager' });
    const other = await seed({ role: 'admin', displayName: 'Grace' });
    const ask = (token: string) =>
      world.query<{ user: { displayName: string; role: string | null } }>(
        'query($id: ID!) { user(id: $id) { displayName role } }',
        { id: other.id },
        token,
      );
    expect((await ask(member.accessToken)).data?.user).toEqual({ displayName: 'Grace', role: null });
    expect((await ask(manager.accessToken)).data?.user).toEqual({ displayName: 'Grace', role: 'ADMIN' });
  });

  it('answers null for an id without an account', async () => {
    const me = await seed();
    const answer = await world.query(
      '{ user(id: "00000000-0000-4000-8000-000000000000") { id } }',
      {},
      me.accessToken,
    );
    expect(answer).toMatchObject({ data: { user: null } });
    expect(answer.errors).toBeUndefined();
  });
});

describe('query users (the directory)', () => {
  const PAGE = `query($first: Int, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id email displayName role } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }`;
  type Page = {
    users: {
      totalCount: number;
      edges: { cursor: string; node: { id: string; displayName: string } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    };
  };

  it('refuses a member with forbidden, before asking any service', async () => {
    const member = await seed();
    const answer = await world.query(PAGE, {}, member.accessToken);
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['users'], 'forbidden']]);
  });

  it('pages a manager through the matching accounts with Relay cursors, newest first', async () => {
    const manager = await seed({ role: 'manager' });
    const tag = `pager${Date.now()}`;
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i++)
      await seed({ displayName: `${tag} ${i}`, createdAt: new Date(base + i * 1000) });
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const answer: { data?: Page | null } = await world.query<Page>(
        PAGE,
        { first: 2, after, filter: { query: tag } },
        manager.accessToken,
      );
      const page: Page['users'] | undefined = answer.data?.users;
      if (page === undefined) throw new Error('no page');
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      names.push(...page.edges.map((edge) => edge.node.displayName));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(names).toEqual([4, 3, 2, 1, 0].map((i) => `${tag} ${i}`));
  });

  it("is audited by admin as the REST directory is, under the gateway request's id and the caller", async () => {
    const manager = await seed({ role: 'manager' });
    const response = await fetch(`${world.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${manager.accessToken}` },
      body: JSON.stringify({ query: '{ users(first: 3) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    let audit: Record<string, unknown> | undefined;
    await eventually('the users.list audit record', () => {
      audit = logs
        .filter((e) => e.type === 'log.audit')
        .map((e) => e.payload as Record<string, unknown>)
        .find((p) => p.action === 'users.list' && p.actorId === manager.id);
      return audit !== undefined;
    });
    expect(audit).toMatchObject({ service: 'admin', requestId, ip: expect.any(String) });
  });

  it('refuses a page size over 100 and a foreign cursor with validation_failed', async () => {
    const admin = await seed({ role: 'admin' });
    const tooMany = await world.query(PAGE, { first: 101 }, admin.accessToken);
    const foreign = await world.query(PAGE, { after: 'bm90LWEtY3Vyc29y' }, admin.accessToken);
    expect([tooMany, foreign].map((a) => a.errors?.[0]?.extensions?.code)).toEqual([
      'validation_failed',
      'validation_failed',
    ]);
  });
});

describe('mutation updateProfile', () => {
  it('changes the profile through users, which refuses what PATCH /profile refuses', async () => {
    const me = await seed();
    const changed = await world.query(
      'mutation { updateProfile(input: { displayName: "Renamed", status: "busy" }) { displayName status } }',
      {},
      me.accessToken,
    );
    expect(changed.data).toEqual({ updateProfile: { displayName: 'Renamed', status: 'busy' } });
    const cleared = await world.query(
      'mutation { updateProfile(input: { status: null }) { status } }',
      {},
      me.accessToken,
    );
    expect(cleared.data).toEqual({ updateProfile: { status: null } });
    const refused = await world.query(
      'mutation { updateProfile(input: { displayName: "" }) { id } }',
      {},
      me.accessToken,
    );
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['validation_failed']);
  });
});
