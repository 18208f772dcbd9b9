/* eslint-disable no-restricted-imports -- users is an app, not a library: the restart test serves its
   gRPC routes again from source. */
import { startServiceGrpc } from '@platform/runtime';
import { seedUser, type SeededUser } from '@platform/testkit';
import { createGrpcRoutes as usersGrpc } from '../../../users/src/app.js';
import { startGateway, startWorld, type Gateway, type GatewayWorld, postGraphql } from './harness.js';

let world: GatewayWorld;
const extra: Gateway[] = [];
const seed = (fields: Parameters<typeof seedUser>[1] = {}): Promise<SeededUser> =>
  seedUser({ orm: world.users.resources.orm, tokens: world.env.tokens }, fields);
const codesOf = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  answer.errors?.map((e) => e.extensions?.code);

async function gatewayWith(overrides: Record<string, string>): Promise<Gateway> {
  const ports = { users: world.usersGrpc.port, admin: world.adminGrpc.port };
  const gateway = await startGateway(world.env, ports, overrides);
  extra.push(gateway);
  return gateway;
}

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  for (const gateway of extra) await gateway.server.stop();
  await world.close();
});

describe('query limits', () => {
  let limited: Gateway;
  beforeAll(async () => {
    limited = await gatewayWith({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COST: '300' });
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH with query_too_deep, fragments included', async () => {
    const admin = await seed({ role: 'admin' });
    const shallow = await postGraphql(limited.url, '{ me { id } }', {}, admin.accessToken);
    expect(shallow.errors).toBeUndefined();
    const viaFragment = '{ users(first: 1) { ...E } } fragment E on UserConnection { edges { node { id } } }';
    const deep = await postGraphql(limited.url, viaFragment, {}, admin.accessToken);
    expect(deep.data).toBeUndefined();
    expect(deep.errors?.map((e) => e.extensions)).toEqual([{ code: 'query_too_deep', limit: 3, found: 4 }]);
  });

  it('refuses a query whose pages multiply past GRAPHQL_MAX_COST with query_too_costly', async () => {
    const admin = await seed({ role: 'admin' });
    const costly = '{ users(first: 100) { totalCount } a: me { id } b: me { id } c: me { id } }';
    expect(codesOf(await postGraphql(limited.url, costly, {}, admin.accessToken))).toBeUndefined();
    const tooCostly = 'query($n: Int) { users(first: $n) { edges { cursor } pageInfo { hasNextPage } } }';
    const answer = await postGraphql(limited.url, tooCostly, { n: 1 }, admin.accessToken);
    expect(codesOf(answer)).toEqual(['query_too_costly']);
  });
});

describe('errors', () => {
  it('gives a syntax error and an unknown field the catalogue codes bad_request and validation_failed', async () => {
    const me = await seed();
    expect(codesOf(await world.query('{ me { id }', {}, me.accessToken))).toEqual(['bad_request']);
    expect(codesOf(await world.query('{ me { password } }', {}, me.accessToken))).toEqual([
      'validation_failed',
    ]);
  });

  it('refuses a member the admin-only audit log with forbidden', async () => {
    const manager = await seed({ role: 'manager' });
    const answer = await world.query('{ auditLogs { edges { node { id } } } }', {}, manager.accessToken);
    expect(codesOf(answer)).toEqual(['forbidden']);
  });

  it('maps a backend deadline that passes to service_unavailable, promptly', async () => {
    const hasty = await gatewayWith({ GRPC_TIMEOUT_MS: '1' });
    const me = await seed();
    const started = Date.now();
    const answer = await postGraphql(hasty.url, '{ me { id } }', {}, me.accessToken);
    expect(codesOf(answer)).toEqual(['service_unavailable']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('in production', () => {
  it('serves neither introspection nor the GraphiQL page', async () => {
    const production = await gatewayWith({ NODE_ENV: 'production' });
    const me = await seed();
    const introspection = await postGraphql(
      production.url,
      '{ __schema { queryType { name } } }',
      {},
      me.accessToken,
    );
    expect(codesOf(introspection)).toEqual(['validation_failed', 'validation_failed']);
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    const development = await fetch(`${world.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await development.text()).toContain('GraphiQL');
  });
});

describe('rate limiting', () => {
  it('answers 429 rate_limited as problem+json once a caller spends RATE_LIMIT_PER_MINUTE, like REST', async () => {
    const tight = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '3' });
    const me = await seed();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await postGraphql(tight.url, '{ me { id } }', {}, me.accessToken)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await fetch(`${tight.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${me.accessToken}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
  });
});

describe('users gRPC restarted mid-traffic', () => {
  it('is retried through: every query answers, none hangs past the deadline', async () => {
    const me = await seed();
    const port = world.usersGrpc.port;
    const answers: Promise<{ errors?: unknown }>[] = [];
    const traffic = (async () => {
      for (let i = 0; i < 40; i++) {
        answers.push(world.query('{ me { id } }', {}, me.accessToken));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await world.usersGrpc.stop();
    world.usersGrpc = await startServiceGrpc(
      world.users.resources,
      { ...world.users.config, GRPC_PORT: port },
      usersGrpc(world.usersParts),
    );
    await traffic;
    const settled = await Promise.all(answers);
    expect(settled.filter((answer) => answer.errors !== undefined)).toEqual([]);
  });
});
