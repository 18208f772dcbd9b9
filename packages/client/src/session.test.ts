import { AuthApi } from './auth.js';
import { Http, type FetchLike } from './http.js';
import { callOperation } from './rest.js';
import { Session, type SignOutReason, type TokenAnswer } from './session.js';
import { memoryTokenStore } from './token-store.js';

// The session's refresh logic against a scripted server (fetch); the real services are in test/integration.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const user: TokenAnswer['user'] = {
  id: 'u1',
  email: 'a@example.com',
  role: 'user',
  displayName: 'A',
  avatarUrl: null,
  status: null,
  accountStatus: 'active',
  emailVerified: true,
  createdAt: '2025-01-01T00:00:00.000Z',
};
const pair = (n: number): TokenAnswer => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  tokenType: 'Bearer',
  expiresIn: 900,
  user,
});

function scripted(handle: (path: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { path: string; auth: string | undefined; body: unknown }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const path = new URL(url).pathname;
    const headers = init.headers as Record<string, string>;
    calls.push({
      path,
      auth: headers.authorization,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    return handle(path, init);
  };
  return { calls, fetch };
}

function sessionWith(fetch: FetchLike, refreshToken = 'refresh-0') {
  const http = new Http({ baseUrl: 'http://api.test', fetch });
  const store = memoryTokenStore({ refreshToken });
  const session = new Session(http, { transport: 'body', store });
  const reasons: SignOutReason[] = [];
  session.events.on('signedOut', ({ reason }) => reasons.push(reason));
  return { http, session, store, reasons };
}

describe('Session refresh', () => {
  it('refreshes once for many concurrent callers and rotates the stored refresh token', async () => {
    let n = 0;
    const server = scripted(() => json(200, pair((n += 1))));
    const { session, store } = sessionWith(server.fetch);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => session.valid()));
    expect(tokens).toEqual(Array(5).fill('access-1'));
    expect(server.calls.map((c) => c.path)).toEqual(['/token/refresh']);
    expect(server.calls[0]?.body).toEqual({ refreshToken: 'refresh-0' });
    expect(await store.load()).toMatchObject({ refreshToken: 'refresh-1' });
  });

  it('answers 401 token_expired with one refresh and one retry for all calls in flight', async () => {
    const server = scripted((path, init) => {
      if (path === '/token/refresh') return json(200, pair(2));
      const auth = (init.headers as Record<string, string>).authorization;
      return auth === 'Bearer access-2'
        ? json(200, { sessions: [] })
        : json(401, { code: 'token_expired', detail: 'expired' });
    });
    const { http, session } = sessionWith(server.fetch);
    await session.adopt(pair(1), true);
    const results = await Promise.all(
      [1, 2, 3].map(() => callOperation(http, session, 'listSessions', undefined)),
    );
    expect(results).toEqual([{ sessions: [] }, { sessions: [] }, { sessions: [] }]);
    expect(server.calls.filter((c) => c.path === '/token/refresh')).toHaveLength(1);
    expect(server.calls.filter((c) => c.path === '/sessions').map((c) => c.auth)).toEqual([
      'Bearer access-1',
      'Bearer access-1',
      'Bearer access-1',
      'Bearer access-2',
      'Bearer access-2',
      'Bearer access-2',
    ]);
  });

  it('signs out cleanly, saying why, when the refresh token was reused', async () => {
    const server = scripted(() => json(401, { code: 'token_reused', detail: 'reused' }));
    const { http, session, store, reasons } = sessionWith(server.fetch);
    await session.adopt({ ...pair(1), expiresIn: 0 }, true);
    await expect(callOperation(http, session, 'listSessions', undefined)).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect(reasons).toEqual(['token_reused']);
    expect(session.current()).toBeNull();
    expect((await store.load())?.refreshToken).toBeUndefined();
  });

  it('makes no request at all when there is nothing to refresh with', async () => {
    const server = scripted(() => json(500, {}));
    const { session } = sessionWith(server.fetch, '');
    expect(await session.valid()).toBeNull();
    expect(server.calls).toEqual([]);
  });

  it('restores a session with the user the refresh answer names, and forgets them on sign-out', async () => {
    const server = scripted((path) =>
      path === '/token/refresh'
        ? json(200, { ...pair(1), user: { ...user, role: 'manager' } })
        : json(401, { code: 'token_revoked', detail: 'revoked' }),
    );
    const { http, session } = sessionWith(server.fetch);
    const auth = new AuthApi(http, session);
    expect(auth.user()).toBeNull();
    expect(await auth.restore()).toMatchObject({ id: 'u1', role: 'manager' });
    expect(auth.user()).toMatchObject({ id: 'u1', role: 'manager' });
    await session.signOut('logout');
    expect(auth.user()).toBeNull();
  });

  it('restores nothing, without a request, when there is no session to resume', async () => {
    const server = scripted(() => json(500, {}));
    const { http, session } = sessionWith(server.fetch, '');
    expect(await new AuthApi(http, session).restore()).toBeNull();
    expect(server.calls).toEqual([]);
  });
});
