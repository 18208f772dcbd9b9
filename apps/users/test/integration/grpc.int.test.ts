import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { generate } from 'selfsigned';
import { loadConfig } from '@platform/config';
import { asCaller, createGrpcClient, toAppError, type GrpcServer } from '@platform/grpc';
import { Health, HealthCheckResponse_ServingStatus as Status, UsersService } from '@platform/proto';
import { startServiceGrpc } from '@platform/runtime';
import { createTestEnvironment, seedUser, type TestEnvironment, type TestService } from '@platform/testkit';
import { composeUsers, createApp, createGrpcRoutes, type UsersParts } from '../../src/app.js';
import { usersConfigSchema, type UsersConfig } from '../../src/config.js';

let env: TestEnvironment;
let users: TestService<UsersConfig>;
let parts: UsersParts;
const servers: GrpcServer[] = [];

async function serveGrpc(overrides: Partial<UsersConfig> = {}, port = 0): Promise<GrpcServer> {
  const server = await startServiceGrpc(
    users.resources,
    { ...users.config, GRPC_PORT: port, ...overrides },
    createGrpcRoutes(parts),
  );
  servers.push(server);
  return server;
}

const clientOf = (port: number, timeoutMs = 2_000) =>
  createGrpcClient(UsersService, { url: `http://127.0.0.1:${port}`, timeoutMs });
const healthOf = (port: number) =>
  createGrpcClient(Health, { url: `http://127.0.0.1:${port}`, timeoutMs: 2_000 });

async function codeOf(call: Promise<unknown>): Promise<{ grpc: string; problem: string }> {
  try {
    await call;
  } catch (error) {
    return { grpc: Code[ConnectError.from(error).code], problem: toAppError(error).code };
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  env = await createTestEnvironment();
  users = await env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createApp((parts = await composeUsers({ ...r, config }))),
  );
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  await env.close();
});

describe('UsersService over gRPC (HTTP/2)', () => {
  let port: number;
  beforeAll(async () => {
    port = (await serveGrpc()).port;
  });

  it('GetUsers answers many users with one database query; unknown and deleted ids are absent', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const createdAt = new Date('2026-01-02T03:04:05.678Z');
    const a = await seedUser(
      { orm: users.resources.orm, tokens: env.tokens },
      { displayName: 'Ada', createdAt },
    );
    const b = await seedUser({ orm: users.resources.orm, tokens: env.tokens }, { displayName: 'Bob' });
    const gone = await seedUser({ orm: users.resources.orm, tokens: env.tokens }, { displayName: 'Gone' });
    await users.resources.orm.em
      .fork()
      .execute('update users set deleted_at = now() where id = ?', [gone.id]);
    const connection = users.resources.orm.em.getDriver().getConnection();
    const execute = jest.spyOn(connection, 'execute');
    try {
      const { users: found } = await clientOf(port).getUsers(
        { ids: [a.id, b.id, gone.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid'] },
        asCaller(me.accessToken),
      );
      expect(found.map((user) => user.displayName).sort()).toEqual(['Ada', 'Bob']);
      const ada = found.find((user) => user.id === a.id);
      expect(ada?.createdAt && timestampDate(ada.createdAt).toISOString()).toBe(createdAt.toISOString());
      expect(execute).toHaveBeenCalledTimes(1);
    } finally {
      execute.mockRestore();
    }
  });

  it('shows roles only to callers who may read the directory', async () => {
    const user = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const manager = await seedUser({ orm: users.resources.orm, tokens: env.tokens }, { role: 'manager' });
    const other = await seedUser({ orm: users.resources.orm, tokens: env.tokens }, { role: 'admin' });
    const asUser = await clientOf(port).getUser({ id: other.id }, asCaller(user.accessToken));
    const asManager = await clientOf(port).getUser({ id: other.id }, asCaller(manager.accessToken));
    expect([asUser.user?.role, asManager.user?.role]).toEqual(['', 'admin']);
  });

  it('GetUser of an unknown id is NOT_FOUND, which the caller reads as not_found', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const call = clientOf(port).getUser(
      { id: '00000000-0000-4000-8000-000000000000' },
      asCaller(me.accessToken),
    );
    expect(await codeOf(call)).toEqual({ grpc: 'NotFound', problem: 'not_found' });
  });

  it('refuses a missing, invalid or revoked token with UNAUTHENTICATED and the REST code', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const client = clientOf(port);
    expect(await codeOf(client.getUsers({ ids: [me.id] }))).toEqual({
      grpc: 'Unauthenticated',
      problem: 'unauthorized',
    });
    expect(await codeOf(client.getUsers({ ids: [me.id] }, asCaller('not.a.token')))).toEqual({
      grpc: 'Unauthenticated',
      problem: 'invalid_token',
    });
    await users.resources.denylist.revokeSession(me.sessionId);
    expect(await codeOf(client.getUsers({ ids: [me.id] }, asCaller(me.accessToken)))).toEqual({
      grpc: 'Unauthenticated',
      problem: 'token_revoked',
    });
  });

  it('refuses more ids than one call may carry with INVALID_ARGUMENT (validation_failed)', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const ids = Array.from({ length: 501 }, () => me.id);
    expect(await codeOf(clientOf(port).getUsers({ ids }, asCaller(me.accessToken)))).toEqual({
      grpc: 'InvalidArgument',
      problem: 'validation_failed',
    });
  });

  it('maps a deadline that passes to DEADLINE_EXCEEDED, read as service_unavailable, without hanging', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const started = Date.now();
    const call = clientOf(port, 1).getUsers({ ids: [me.id] }, asCaller(me.accessToken));
    expect(await codeOf(call)).toEqual({ grpc: 'DeadlineExceeded', problem: 'service_unavailable' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('counts calls with the Prometheus gRPC names on the service registry', async () => {
    const text = await users.resources.registry.metrics();
    expect(text).toMatch(
      /^grpc_server_handled_total\{.*grpc_service="platform.users.v1.UsersService",grpc_method="GetUsers",grpc_code="OK"/m,
    );
    expect(text).toMatch(/^grpc_server_handled_total\{.*grpc_method="GetUser",grpc_code="NotFound"/m);
    expect(text).toMatch(/^grpc_server_handling_seconds_bucket\{/m);
  });
});

describe('grpc.health.v1 on the users gRPC port', () => {
  it('is SERVING without a token, then NOT_SERVING (Watch hears it) while the server drains', async () => {
    const server = await serveGrpc();
    const health = healthOf(server.port);
    expect((await health.check({ service: '' })).status).toBe(Status.SERVING);
    expect((await health.check({ service: UsersService.typeName })).status).toBe(Status.SERVING);
    expect(await codeOf(health.check({ service: 'no.such.Service' }))).toMatchObject({ grpc: 'NotFound' });

    const seen: Status[] = [];
    const watching = (async () => {
      for await (const answer of createGrpcClient(Health, {
        url: `http://127.0.0.1:${server.port}`,
        timeoutMs: 10_000,
      }).watch({ service: '' }))
        seen.push(answer.status);
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await server.stop();
    await watching;
    expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING]);
  });
});

describe('a users gRPC server restarted mid-traffic', () => {
  it('is retried through: every idempotent call succeeds and none hangs past its deadline', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const first = await serveGrpc();
    const client = createGrpcClient(UsersService, {
      url: `http://127.0.0.1:${first.port}`,
      timeoutMs: 3_000,
      retry: { attempts: 10, baseDelayMs: 25, maxDelayMs: 200 },
    });
    const results: Promise<unknown>[] = [];
    const traffic = (async () => {
      for (let i = 0; i < 40; i++) {
        results.push(client.getUsers({ ids: [me.id] }, asCaller(me.accessToken)));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await serveGrpc({}, first.port);
    await traffic;
    const settled = await Promise.allSettled(results);
    expect(settled.filter((result) => result.status === 'rejected')).toEqual([]);
  });
});

describe('gRPC over TLS', () => {
  async function pems() {
    const now = new Date();
    return generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + 3600_000),
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
  }

  it('serves TLS from config files, and with a CA requires the caller to present a certificate (mTLS)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grpc-tls-'));
    const server = await pems();
    const caller = await pems();
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const tls = {
      GRPC_TLS_CERT_FILE: file('server.crt', server.cert),
      GRPC_TLS_KEY_FILE: file('server.key', server.private),
    };
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });

    const plainTls = await serveGrpc(tls);
    const trusting = createGrpcClient(UsersService, {
      url: `https://127.0.0.1:${plainTls.port}`,
      timeoutMs: 2_000,
      tls: { ca: Buffer.from(server.cert) },
    });
    expect((await trusting.getUsers({ ids: [me.id] }, asCaller(me.accessToken))).users).toHaveLength(1);

    const mutual = await serveGrpc({ ...tls, GRPC_TLS_CA_FILE: file('ca.crt', caller.cert) });
    const url = `https://127.0.0.1:${mutual.port}`;
    const anonymous = createGrpcClient(UsersService, {
      url,
      timeoutMs: 2_000,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      tls: { ca: Buffer.from(server.cert) },
    });
    await expect(anonymous.getUsers({ ids: [me.id] }, asCaller(me.accessToken))).rejects.toThrow();
    const identified = createGrpcClient(UsersService, {
      url,
      timeoutMs: 2_000,
      tls: { ca: Buffer.from(server.cert), cert: Buffer.from(caller.cert), key: Buffer.from(caller.private) },
    });
    expect((await identified.getUsers({ ids: [me.id] }, asCaller(me.accessToken))).users).toHaveLength(1);
  });
});
