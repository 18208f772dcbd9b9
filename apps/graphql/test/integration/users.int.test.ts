import { seedUser, type SeededUser } from '@platform/testkit';
import { startWorld, type GatewayWorld } from './harness.js';

let world: GatewayWorld;
const seed = (fields: Parameters<typeof seedUser>[1] = {}): Promise<SeededUser> =>
  seedUser({ orm: world.users.resources.orm, tokens: world.env.tokens }, fields);

beforeAll(async () => {
  world = await startWorld();
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
