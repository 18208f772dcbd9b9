import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { GLOBAL_CONVERSATION_ID, type ChatMessage } from '@platform/contracts';
import { eventually } from '@platform/testkit';
import { AccessTokens, KeyRing, parseKeySet } from '@platform/tokens';
import {
  createClient,
  memoryTokenStore,
  type PlatformClient,
  type RealtimeClient,
  type TokenStore,
} from '../../src/index.js';
import { startPlatform, type Platform } from './services.js';

// The SDK in Node against the real auth, users and realtime services (PostgreSQL, Redis, RabbitMQ),
// with Node's fetch and the `ws` package.

const PASSWORD = 'violet-anchor-meadow-42!';
const GLOBAL = { channel: 'global' };
/** How long a frame may take through RabbitMQ's fanout on a box busy with other test runs. */
const LIVE_MS = 25_000;

let platform: Platform;

beforeAll(async () => {
  // No grace window: a replayed refresh token is reuse at once.
  platform = await startPlatform({ REFRESH_REUSE_GRACE_SECONDS: '0' });
}, 60_000);
afterAll(() => platform.close());

// Every client a test made is closed after it, passed or failed: a socket left open would keep
// reconnecting to stopped services and hold Jest open.
const opened: NodeClient[] = [];
afterEach(() => {
  jest.restoreAllMocks();
  for (const node of opened.splice(0)) {
    node.client.close();
    for (const socket of node.sockets) socket.terminate();
  }
});

interface NodeClient {
  client: PlatformClient;
  store: TokenStore;
  /** `METHOD /path` of every HTTP request the client made. */
  requests: string[];
  /** Every socket the client opened, newest last. */
  sockets: WebSocket[];
}

function nodeClient(backoffBaseMs = 100): NodeClient {
  const requests: string[] = [];
  const sockets: WebSocket[] = [];
  const store = memoryTokenStore();
  class TrackedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const { urls } = platform;
  const client = createClient({
    transport: 'body',
    tokenStore: store,
    serviceUrls: { auth: urls.auth, users: urls.users, realtime: urls.realtime },
    fetch: (url, init) => {
      requests.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
      return fetch(url, init);
    },
    realtime: { url: urls.ws, WebSocket: TrackedWebSocket, backoff: { baseMs: backoffBaseMs, maxMs: 5000 } },
  });
  const node = { client, store, requests, sockets };
  opened.push(node);
  return node;
}

/** Signs up, verifies the address from the mailed link, and signs in. */
async function signedIn(node: NodeClient = nodeClient()) {
  const email = `sdk-${randomUUID().slice(0, 8)}@example.com`;
  const { user } = await node.client.api.register({ body: { email, password: PASSWORD } });
  await node.client.api.verifyEmail({ body: { token: await platform.verificationToken(email) } });
  const result = await node.client.auth.login({ email, password: PASSWORD });
  expect(result).toMatchObject({ status: 'signedIn', user: { id: user.id, email } });
  return { ...node, email, userId: user.id };
}

/** Connects the socket and collects every `chat.message` event (the SDK's deduped stream). */
async function connected(realtime: RealtimeClient) {
  const messages: ChatMessage[] = [];
  const syncs: string[][] = [];
  realtime.on('chat.message', ({ type: _type, ...message }) => messages.push(message));
  realtime.on('chat.sync', (frame) => syncs.push(frame.messages.map((m) => m.text)));
  const snapshot = new Promise((resolve) => realtime.on('chat.snapshot', resolve));
  realtime.connect();
  await snapshot;
  return { messages, syncs };
}

const texts = (messages: ChatMessage[], tag: string) =>
  messages.filter((m) => m.text.startsWith(tag)).map((m) => m.text);

describe('REST with the SDK', () => {
  it('signs up, is refused until the address is verified, then signs in and calls auth and users by operation id', async () => {
    const node = nodeClient();
    const email = `sdk-${randomUUID().slice(0, 8)}@example.com`;
    await node.client.api.register({ body: { email, password: PASSWORD } });
    await expect(node.client.auth.login({ email, password: PASSWORD })).rejects.toMatchObject({
      name: 'ApiError',
      status: 403,
      code: 'email_not_verified',
      requestId: expect.any(String),
    });
    await node.client.api.verifyEmail({ body: { token: await platform.verificationToken(email) } });
    expect(await node.client.auth.login({ email, password: PASSWORD })).toMatchObject({ status: 'signedIn' });
    expect(await node.client.api.getProfile()).toMatchObject({ email, emailVerified: true });
    const { sessions } = await node.client.api.listSessions();
    expect(sessions).toEqual([expect.objectContaining({ current: true })]);
    expect(node.client.accessToken()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('turns a refusal into a typed ApiError with the field errors', async () => {
    const { client } = nodeClient();
    await expect(
      client.api.register({ body: { email: 'x@example.com', password: '' } }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'password' })],
    });
  });

  it('refreshes exactly once for concurrent calls made with an expired access token, and retries each once', async () => {
    const owner = await signedIn();
    const claims = JSON.parse(
      Buffer.from(owner.client.accessToken()?.split('.')[1] ?? '', 'base64url').toString(),
    ) as { sub: string; sid: string; role: 'user' };
    // A token of the same session that expired two minutes ago, signed with auth's key.
    const expired = new AccessTokens({
      keys: new KeyRing('EdDSA', parseKeySet(platform.env.env.JWT_PRIVATE_KEYS ?? '', 'private')),
      issuer: 'http://localhost:8080',
      audience: 'platform',
      ttlSeconds: -120,
    }).sign({ userId: claims.sub, role: claims.role, sessionId: claims.sid, authTime: new Date() });
    const refreshToken = (await owner.store.load())?.refreshToken ?? '';
    const other = nodeClient();
    await other.client.auth.adopt({ accessToken: expired.token, expiresIn: 900, refreshToken });

    const answers = await Promise.all([
      other.client.api.getProfile(),
      other.client.api.getProfile(),
      other.client.api.listSessions(),
      other.client.api.listConversations(),
      other.client.api.getProfile(),
    ]);
    expect(answers.map((a) => typeof a)).toEqual(Array(5).fill('object'));
    expect(other.requests.filter((r) => r === 'POST /token/refresh')).toEqual(['POST /token/refresh']);
    // Each call was refused once with the expired token and answered once with the fresh one.
    expect(other.requests.filter((r) => r === 'GET /profile')).toHaveLength(6);
    expect((await other.store.load())?.refreshToken).not.toBe(refreshToken);
  });

  it('signs out cleanly, with the reason, when a refresh token is reused', async () => {
    const { client, store } = await signedIn();
    const spent = (await store.load())?.refreshToken ?? '';
    const reasons: string[] = [];
    client.on('signedOut', ({ reason }) => reasons.push(reason));
    expect(await client.auth.refresh()).toBe(true);
    // Someone replays the spent token: reuse, and the server revokes the whole session.
    const thief = nodeClient();
    const thiefReasons: string[] = [];
    thief.client.on('signedOut', ({ reason }) => thiefReasons.push(reason));
    await thief.client.auth.adopt({ accessToken: 'none', expiresIn: 0, refreshToken: spent });
    expect(await thief.client.auth.restore()).toBeNull();
    expect(thiefReasons).toEqual(['token_reused']);
    // The owner's next call finds its session revoked, and the client signs out instead of retrying.
    await expect(client.api.getProfile()).rejects.toMatchObject({ status: 401, code: 'token_revoked' });
    expect(reasons).toEqual(['token_revoked']);
    expect(client.accessToken()).toBeNull();
    expect(await client.auth.restore()).toBeNull();
  });
});

describe('the chat socket with the SDK', () => {
  it('sends a message and resolves it on its chat.ack; the message arrives once', async () => {
    const { client } = await signedIn();
    const realtime = client.realtime();
    const { messages } = await connected(realtime);
    const tag = `hello-${randomUUID()}`;
    const ack = await realtime.send(GLOBAL, tag);
    expect(ack).toMatchObject({ conversationId: GLOBAL_CONVERSATION_ID, seq: expect.any(Number) });
    await eventually('the message back', () => texts(messages, tag).length === 1, LIVE_MS);
  }, 60_000);

  it('after the socket dies mid-conversation, resumes with exactly the missed messages and stores the outbox message once', async () => {
    // A waits 2 s before reconnecting (the jitter pinned high below), so B's next messages are missed.
    const a = await signedIn(nodeClient(2000));
    const b = await signedIn();
    const aSocket = a.client.realtime();
    const bSocket = b.client.realtime();
    const seen = await connected(aSocket);
    await connected(bSocket);
    const tag = `resume-${randomUUID()}`;
    await bSocket.send(GLOBAL, `${tag} 1`);
    await eventually('the first message live', () => texts(seen.messages, tag).length === 1, LIVE_MS);

    // A's link dies while B keeps talking.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.99);
    const closed = new Promise((resolve) => aSocket.on('close', resolve));
    a.sockets.at(-1)?.terminate();
    await closed;
    random.mockRestore();
    const offline = aSocket.send(GLOBAL, `${tag} from a, offline`);
    await bSocket.send(GLOBAL, `${tag} 2`);
    await bSocket.send(GLOBAL, `${tag} 3`);
    // Sent just before its socket dies: written or not, it is resent with its clientId and stored once.
    await eventually('a socket again', () => aSocket.isOpen, LIVE_MS);
    const racy = aSocket.send(GLOBAL, `${tag} racy`);
    a.sockets.at(-1)?.terminate();
    await Promise.all([offline, racy]);

    const expected = [`${tag} 1`, `${tag} 2`, `${tag} 3`, `${tag} from a, offline`, `${tag} racy`];
    await eventually(
      'every message once',
      () => texts(seen.messages, tag).length === expected.length,
      LIVE_MS,
    );
    expect(texts(seen.messages, tag).sort()).toEqual([...expected].sort());
    expect(seen.syncs.flat().filter((t) => t === `${tag} 2` || t === `${tag} 3`)).toEqual([
      `${tag} 2`,
      `${tag} 3`,
    ]);
    // No gap and no duplicate in what A was shown of the global channel since it connected.
    const seqs = seen.messages.filter((m) => m.conversationId === GLOBAL_CONVERSATION_ID).map((m) => m.seq);
    expect(seqs).toEqual([...new Set(seqs)]);
    expect(Math.max(...seqs) - Math.min(...seqs) + 1).toBe(seqs.length);

    const page = await a.client.api.listMessages({ params: { id: 'global' }, query: { limit: 50 } });
    expect(texts(page.messages, tag).sort()).toEqual([...expected].sort());
  }, 90_000);
});
