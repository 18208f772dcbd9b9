import { Code, ConnectError } from '@connectrpc/connect';
import { createGrpcClient, type GrpcServer } from '@platform/grpc';
import { AuthService, Health, HealthCheckResponse_ServingStatus as Serving } from '@platform/proto';
import { startServiceGrpc } from '@platform/runtime';
import type { ApiClient, TestEnvironment } from '@platform/testkit';
import { KeyRing, parseKeySet, ServiceTokenSigner } from '@platform/tokens';
import { createGrpcRoutes } from '../../src/app.js';
import { registerAndLogin, startAuth } from './harness.js';

let env: TestEnvironment;
let api: ApiClient;
let grpc: GrpcServer;
let metricsText: () => Promise<string>;

beforeAll(async () => {
  const started = await startAuth();
  ({ env, api } = started);
  const { auth } = started;
  grpc = await startServiceGrpc(
    auth.resources,
    { ...auth.config, GRPC_PORT: 0 },
    createGrpcRoutes({ ...auth.resources, config: auth.config }),
  );
  metricsText = () => auth.resources.registry.metrics();
});
afterAll(async () => {
  await grpc.stop();
  await env.close();
});

const url = () => `http://127.0.0.1:${grpc.port}`;
const client = () => createGrpcClient(AuthService, { url: url(), timeoutMs: 3000 });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const codeOf = (error: unknown) => ConnectError.from(error).code;
const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );
/** realtime's service token for auth, from the test environment's service key. */
const realtimeToken = () =>
  new ServiceTokenSigner(
    'realtime',
    new KeyRing('EdDSA', parseKeySet(env.env.SERVICE_TOKEN_KEYS ?? '', 'private')),
  ).tokenFor('auth');

describe('AuthService over gRPC', () => {
  it('serves grpc.health.v1 as SERVING for the whole server and AuthService', async () => {
    const health = createGrpcClient(Health, { url: url(), timeoutMs: 3000 });
    for (const service of ['', AuthService.typeName])
      expect((await health.check({ service })).status).toBe(Serving.SERVING);
  });

  it("tells the caller their current session and lists their sessions, as REST's /sessions does", async () => {
    const user = await registerAndLogin(api);
    const second = await api.post<{ accessToken: string }>('/login', {
      body: { email: user.email, password: 'violet-anchor-meadow-42!' },
    });
    const { session } = await client().getSession({}, bearer(user.accessToken));
    expect(session).toMatchObject({ current: true });
    const { sessions } = await client().listSessions({}, bearer(user.accessToken));
    const rest = await api.get<{ sessions: { id: string; current: boolean }[] }>('/sessions', {
      token: user.accessToken,
    });
    expect(sessions.map((s) => [s.id, s.current])).toEqual(rest.body.sessions.map((s) => [s.id, s.current]));
    expect(sessions).toHaveLength(2);
    expect(second.status).toBe(200);
  });

  it("revokes the caller's own session, and answers not_found for someone else's", async () => {
    const [ada, eve] = await Promise.all([registerAndLogin(api), registerAndLogin(api)]);
    const { session } = await client().getSession({}, bearer(ada.accessToken));
    const id = session?.id ?? '';
    const byEve = await failure(client().revokeSession({ id }, bearer(eve.accessToken)));
    expect(codeOf(byEve)).toBe(Code.NotFound);
    await client().revokeSession({ id }, bearer(ada.accessToken));
    // The revoked session's access token is on the denylist: the next call is refused.
    const after = await failure(client().listSessions({}, bearer(ada.accessToken)));
    expect(codeOf(after)).toBe(Code.Unauthenticated);
    const malformed = await failure(client().revokeSession({ id: 'x' }, bearer(eve.accessToken)));
    expect(codeOf(malformed)).toBe(Code.InvalidArgument);
  });

  it('refuses a call without a token (UNAUTHENTICATED) and introspection by a user (PERMISSION_DENIED)', async () => {
    const user = await registerAndLogin(api);
    expect(codeOf(await failure(client().listSessions({})))).toBe(Code.Unauthenticated);
    const asUser = await failure(client().verifyToken({ token: user.accessToken }, bearer(user.accessToken)));
    expect(codeOf(asUser)).toBe(Code.PermissionDenied);
    // A service may introspect, but not act on a user's sessions.
    const asService = await failure(client().listSessions({}, bearer(realtimeToken())));
    expect(codeOf(asService)).toBe(Code.PermissionDenied);
  });

  it('introspects tokens for a service: active with the claims, or why not', async () => {
    const user = await registerAndLogin(api);
    const asRealtime = bearer(realtimeToken());
    const active = await client().verifyToken({ token: user.accessToken }, asRealtime);
    expect(active).toMatchObject({ active: true, userId: user.userId, role: 'user' });
    expect(await client().verifyToken({ token: 'not.a.token' }, asRealtime)).toMatchObject({
      active: false,
      reason: 'invalid_token',
    });
    await api.post('/logout', { token: user.accessToken });
    expect(await client().verifyToken({ token: user.accessToken }, asRealtime)).toMatchObject({
      active: false,
      reason: 'token_revoked',
    });
  });

  it('counts its calls in the Prometheus gRPC metrics', async () => {
    const text = await metricsText();
    expect(text).toMatch(/grpc_server_handled_total\{[^}]*grpc_service="platform.auth.v1.AuthService"/);
    expect(text).toMatch(/grpc_server_handling_seconds_bucket\{[^}]*grpc_method="VerifyToken"/);
  });
});
