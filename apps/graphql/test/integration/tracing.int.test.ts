import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort, startChild, type RunningChild } from '@platform/benchkit';
import { createOrm } from '@platform/db';
import { createTestEnvironment, eventually, seedUser, type TestEnvironment } from '@platform/testkit';
import { postGraphql } from './harness.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

/*
 * The built services, as deployed: `dist/index.js` starts telemetry before anything is loaded, so this
 * proves the instrumentation patches the modules the real process loads (pg under knex, in ESM
 * services), which an in-process test whose modules jest loads could not. `turbo run test` builds
 * both first (apps/graphql/turbo.json); run alone, it needs `pnpm build`.
 */
const USERS_DIR = path.resolve(__dirname, '../../../users');
const GATEWAY_DIR = path.resolve(__dirname, '../..');
const GET_PROFILE = 'platform.users.v1.UsersService/GetProfile';

/** The span and its ancestors among `spans`, nearest first. */
function ancestry(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const chain = [span];
  for (let parentId = span.parentSpanId; parentId !== undefined;) {
    const parent = spans.find((s) => s.spanId === parentId);
    if (parent === undefined) break;
    chain.push(parent);
    parentId = parent.parentSpanId;
  }
  return chain;
}

describe('tracing a GraphQL query through gRPC into PostgreSQL', () => {
  let env: TestEnvironment;
  let receiver: OtlpReceiver;
  const children: RunningChild[] = [];
  let gatewayUrl: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    receiver = await startOtlpReceiver();
    const [usersPort, usersMetrics, grpcPort, gatewayPort, gatewayMetrics] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    );
    const traced = {
      ...env.env,
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // The batch processor exports on a timer (5 s by default): soon, so the test waits little.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    children.push(
      await startChild({
        name: 'users',
        args: ['dist/index.js'],
        cwd: USERS_DIR,
        env: { ...traced, PORT: `${usersPort}`, METRICS_PORT: `${usersMetrics}`, GRPC_PORT: `${grpcPort}` },
        readyUrl: `http://127.0.0.1:${usersPort}/ready`,
      }),
    );
    children.push(
      await startChild({
        name: 'graphql',
        args: ['dist/index.js'],
        cwd: GATEWAY_DIR,
        env: {
          ...traced,
          PORT: `${gatewayPort}`,
          METRICS_PORT: `${gatewayMetrics}`,
          USERS_GRPC_URL: `http://127.0.0.1:${grpcPort}`,
        },
        readyUrl: `http://127.0.0.1:${gatewayPort}/ready`,
      }),
    );
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await receiver.close();
    await env.close();
  });

  it('follows `{ me }` from the gateway request through GetProfile to the query in users, in one trace', async () => {
    const orm = await createOrm({ url: env.env.DATABASE_URL ?? '', poolMax: 1 });
    const me = await seedUser({ orm, tokens: env.tokens }).finally(() => orm.close(true));
    // A user nobody has asked for yet: users' profile cache misses, so the answer comes from PostgreSQL.
    const answer = await postGraphql<{ me: { id: string } }>(gatewayUrl, '{ me { id } }', {}, me.accessToken);
    expect(answer.data?.me.id).toBe(me.id);

    const isGatewayRequest = (s: ReceivedSpan) =>
      s.service === 'graphql' && s.kind === 'SERVER' && s.attributes['url.path'] === '/graphql';
    const isQuery = (s: ReceivedSpan) => s.attributes['db.system.name'] === 'postgresql';
    const traceOf = (root: ReceivedSpan) => receiver.spans().filter((s) => s.traceId === root.traceId);
    // Each process exports its own batches: wait until no span of the trace misses its parent.
    const complete = (spans: ReceivedSpan[]) =>
      spans.every((s) => s.parentSpanId === undefined || spans.some((p) => p.spanId === s.parentSpanId));
    let request: ReceivedSpan | undefined;
    await eventually("the gateway request's whole trace, with a PostgreSQL span in it", () => {
      request = receiver.spans().find(isGatewayRequest);
      if (request === undefined) return false;
      const spans = traceOf(request);
      return spans.some(isQuery) && complete(spans);
    });
    if (request === undefined) throw new Error('no gateway request span');
    expect(request.parentSpanId).toBeUndefined();

    const spans = traceOf(request);
    const queries = spans.filter(isQuery);
    for (const query of queries) {
      expect([query.service, query.kind]).toEqual(['users', 'CLIENT']);
      expect(ancestry(query, spans).map((s) => [s.service, s.kind, s.name])).toEqual([
        ['users', 'CLIENT', query.name],
        ['users', 'SERVER', GET_PROFILE],
        ['graphql', 'CLIENT', GET_PROFILE],
        ['graphql', 'SERVER', request.name],
      ]);
      // The values in a statement (here the caller's id) never leave the process.
      expect(JSON.stringify(query.attributes)).not.toContain(me.id);
    }
    // The profile read itself, by its shape.
    expect(queries.map((q) => q.attributes['db.query.text'])).toContainEqual(
      expect.stringMatching(/from users\s+where id = \? and deleted_at is null/),
    );
  });
});

describe('spans at shutdown', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment();
  });
  afterAll(() => env.close());

  /** users, built, exporting to `endpoint` with an export delay no test waits for: only a shutdown sends. */
  const startUsers = async (endpoint: string) => {
    const [port, metricsPort, grpcPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const users = await startChild({
      name: 'users',
      args: ['dist/index.js'],
      cwd: USERS_DIR,
      env: {
        ...env.env,
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        PORT: `${port}`,
        METRICS_PORT: `${metricsPort}`,
        GRPC_PORT: `${grpcPort}`,
      },
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
    const orm = await createOrm({ url: env.env.DATABASE_URL ?? '', poolMax: 1 });
    const me = await seedUser({ orm, tokens: env.tokens }).finally(() => orm.close(true));
    const profile = await fetch(`http://127.0.0.1:${port}/profile`, {
      headers: { authorization: `Bearer ${me.accessToken}` },
    });
    expect(profile.status).toBe(200);
    return users;
  };
  const isProfileRequest = (s: ReceivedSpan) =>
    s.kind === 'SERVER' && s.attributes['url.path'] === '/profile';

  it('sends the spans still buffered when a service stops on SIGTERM', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const users = await startUsers(receiver.url);
      expect(receiver.spans().filter(isProfileRequest)).toHaveLength(0);
      await users.stop();
      const sent = receiver.spans().filter(isProfileRequest);
      expect(sent.map((s) => s.service)).toEqual(['users']);
      const traced = receiver.spans().filter((s) => s.traceId === sent[0]?.traceId);
      expect(traced.some((s) => s.attributes['db.system.name'] === 'postgresql')).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it('does not wait for a collector that never answers longer than the flush allows (3 s)', async () => {
    const exports: string[] = [];
    // Takes every export and never answers: the exporter alone would wait 10 s for each.
    const hanging = http.createServer((req) => exports.push(req.url ?? ''));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const users = await startUsers(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}`);
      const signalled = Date.now();
      await users.stop(9_000); // killed, not exited, past 9 s
      // It did try (the exporter may retry within the bound).
      expect(new Set(exports)).toEqual(new Set(['/v1/traces']));
      expect(Date.now() - signalled).toBeLessThan(7_000);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  }, 60_000);
});
