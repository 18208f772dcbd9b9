import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createEnvelope } from '@platform/bus';
import { EXCHANGES } from '@platform/contracts';
import { seedUser, type SeededUser } from '@platform/testkit';
import { startWorld, type GatewayWorld } from './harness.js';

let world: GatewayWorld;
const seed = (fields: Parameters<typeof seedUser>[1] = {}): Promise<SeededUser> =>
  seedUser({ orm: world.users.resources.orm, tokens: world.env.tokens }, fields);
const codesOf = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  answer.errors?.map((e) => e.extensions?.code);

const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { duplicate message { id conversationId seq text author { displayName } } }
}`;
type Sent = {
  sendMessage: {
    duplicate: boolean;
    message: {
      id: string;
      conversationId: string;
      seq: number;
      text: string;
      author: { displayName: string };
    };
  };
};

async function send(from: SeededUser, input: Record<string, unknown>): Promise<Sent['sendMessage']> {
  const answer = await world.query<Sent>(
    SEND,
    { input: { clientId: randomUUID(), ...input } },
    from.accessToken,
  );
  if (answer.data?.sendMessage === undefined) throw new Error(JSON.stringify(answer.errors));
  return answer.data.sendMessage;
}

/** Calls the gateway started to its backends, per method, from its own client metrics. */
async function backendCalls(): Promise<Record<string, number>> {
  const metric = await world.gateway.resources.registry.getSingleMetric('grpc_client_started_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.grpc_method), v.value]));
}

beforeAll(async () => {
  world = await startWorld({}, { withRealtime: true });
});
afterAll(async () => {
  await world.close();
});

describe('sendMessage and conversations', () => {
  it('starts a direct conversation that both sides then list, with the other party resolved', async () => {
    const ada = await seed({ displayName: 'Ada' });
    const bob = await seed({ displayName: 'Bob' });
    const sent = await send(ada, { toUserId: bob.id, text: 'hello <b>Bob</b>' });
    expect(sent).toMatchObject({ duplicate: false, message: { seq: 1, author: { displayName: 'Ada' } } });
    const answer = await world.query<{ conversations: { edges: { node: Record<string, unknown> }[] } }>(
      '{ conversations { edges { node { id kind with { displayName } lastMessage { text } } } } }',
      {},
      bob.accessToken,
    );
    expect(answer.data?.conversations.edges.map((e) => e.node)).toContainEqual({
      id: sent.message.conversationId,
      kind: 'DIRECT',
      with: { displayName: 'Ada' },
      lastMessage: { text: sent.message.text },
    });
  });

  it('sends once per clientId: a retried send answers the stored message as a duplicate', async () => {
    const ada = await seed();
    const bob = await seed();
    const clientId = randomUUID();
    const first = await send(ada, { toUserId: bob.id, text: 'once', clientId });
    const again = await send(ada, { toUserId: bob.id, text: 'once', clientId });
    expect(again).toEqual({ ...first, duplicate: true });
  });

  it("refuses what the socket refuses, with its codes: another's edit, a stranger's conversation", async () => {
    const ada = await seed();
    const bob = await seed();
    const eve = await seed();
    const sent = await send(ada, { toUserId: bob.id, text: 'mine' });
    const edit = await world.query(
      'mutation($id: ID!) { editMessage(id: $id, text: "hijacked") { id } }',
      { id: sent.message.id },
      bob.accessToken,
    );
    expect(codesOf(edit)).toEqual(['forbidden']);
    const intrude = await world.query(
      'mutation($input: SendMessageInput!) { sendMessage(input: $input) { duplicate } }',
      { input: { conversationId: sent.message.conversationId, text: 'hi', clientId: 'c1' } },
      eve.accessToken,
    );
    expect(codesOf(intrude)).toEqual(['not_found']);
    const peek = await world.query(
      'query($id: ID!) { conversation(id: $id) { id } }',
      { id: sent.message.conversationId },
      eve.accessToken,
    );
    expect(peek.data).toEqual({ conversation: null });
  });

  it('reacts and marks read through realtime', async () => {
    const ada = await seed();
    const bob = await seed();
    const sent = await send(ada, { toUserId: bob.id, text: 'react to me' });
    const variables = { id: sent.message.id };
    const react = await world.query(
      'mutation($id: ID!) { react(messageId: $id, emoji: "👍") { changed count } }',
      variables,
      bob.accessToken,
    );
    expect(react.data).toEqual({ react: { changed: true, count: 1 } });
    const read = await world.query(
      'mutation($id: ID!) { markRead(messageId: $id) { advanced } }',
      variables,
      bob.accessToken,
    );
    expect(read.data).toEqual({ markRead: { advanced: true } });
  });
});

describe('a page of 50 messages with their authors', () => {
  it('costs the same three backend calls whatever the number of authors', async () => {
    const authors = await Promise.all(
      Array.from({ length: 10 }, (_, i) => seed({ displayName: `author ${i}` })),
    );
    const [first] = authors;
    if (first === undefined) throw new Error('no authors');
    const { message } = await send(first, { toUserId: authors[1]?.id, text: 'opening' });
    // A group would do as well; the global channel has every author in it already.
    for (let i = 0; i < 50; i++) {
      const author = authors[i % authors.length] ?? first;
      await send(author, { conversationId: '00000000-0000-0000-0000-000000000001', text: `message ${i}` });
    }
    expect(message.seq).toBe(1);
    const before = await backendCalls();
    const answer = await world.query<{
      conversation: { messages: { edges: { node: { text: string; author: { displayName: string } } }[] } };
    }>(
      `query($id: ID!) { conversation(id: $id) {
        messages(last: 50) { edges { node { text author { displayName } } } pageInfo { hasPreviousPage } }
      } }`,
      { id: '00000000-0000-0000-0000-000000000001' },
      first.accessToken,
    );
    const after = await backendCalls();
    const edges = answer.data?.conversation.messages.edges ?? [];
    expect(edges).toHaveLength(50);
    expect(edges.at(-1)?.node).toEqual({ text: 'message 49', author: { displayName: 'author 9' } });
    const spent = Object.fromEntries(
      Object.entries(after)
        .map(([method, count]) => [method, count - (before[method] ?? 0)])
        .filter(([, count]) => count !== 0),
    );
    expect(spent).toEqual({ ListConversations: 1, GetHistory: 1, GetUsers: 1 });
  });
});

describe('subscriptions over graphql-ws', () => {
  /** The next `count` events of a subscription, and a way to end it. */
  function subscribe(token: string, query: string) {
    const client = createClient({
      url: `${world.gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const events: unknown[] = [];
    const waiters: (() => void)[] = [];
    let failure: unknown;
    const dispose = client.subscribe(
      { query },
      {
        next: (value) => {
          events.push(value);
          for (const wake of waiters.splice(0)) wake();
        },
        error: (error) => {
          failure = error;
          for (const wake of waiters.splice(0)) wake();
        },
        complete: () => undefined,
      },
    );
    return {
      events,
      /** Settles once the server acknowledged connection_init (the token was accepted). */
      connected,
      async next(): Promise<unknown> {
        const seen = events.length;
        while (events.length === seen && failure === undefined)
          await new Promise<void>((resolve) => waiters.push(resolve));
        if (failure !== undefined) throw failure;
        return events[seen];
      },
      async close() {
        dispose();
        await client.dispose();
      },
    };
  }

  it('hears a message sent on the socket tier (/ws), with its author resolved', async () => {
    const ada = await seed({ displayName: 'Ada' });
    const bob = await seed({ displayName: 'Bob' });
    const feed = subscribe(bob.accessToken, 'subscription { messageAdded { text author { displayName } } }');
    try {
      // The subscription is live once it hears something: a first message through GraphQL.
      const warmUp = feed.next();
      let heard = false;
      void warmUp.then(() => (heard = true));
      while (!heard) {
        await send(ada, { toUserId: bob.id, text: 'are you there?' });
        await Promise.race([warmUp, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
      const realtime = world.realtime;
      if (realtime === undefined) throw new Error('no realtime');
      const socket = new WebSocket(`${realtime.wsUrl}?access_token=${ada.accessToken}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const next = feed.next();
      socket.send(
        JSON.stringify({ type: 'chat.send', to: bob.id, text: 'over the socket', clientId: randomUUID() }),
      );
      let event = (await next) as { data: { messageAdded: { text: string } } };
      while (event.data.messageAdded.text !== 'over the socket') event = (await feed.next()) as typeof event;
      expect(event).toEqual({
        data: { messageAdded: { text: 'over the socket', author: { displayName: 'Ada' } } },
      });
      socket.close();
    } finally {
      await feed.close();
    }
  });

  it('refuses a revoked token at connection_init with 4401 token_revoked', async () => {
    const eve = await seed();
    await world.gateway.resources.denylist.revokeSession(eve.sessionId);
    const feed = subscribe(eve.accessToken, 'subscription { messageAdded { id } }');
    await expect(feed.next()).rejects.toMatchObject({ code: 4401, reason: 'token_revoked' });
    await feed.close();
  });

  it('closes the subscription socket with 4001 when its session is logged out, as /ws does', async () => {
    const ada = await seed();
    const feed = subscribe(ada.accessToken, 'subscription { notificationAdded { id } }');
    const ended = feed.next();
    await feed.connected;
    const envelope = createEnvelope('session.ended', {
      userId: ada.id,
      sessionId: ada.sessionId,
      reason: 'logout',
    });
    await world.gateway.resources.bus.publish(
      { exchange: EXCHANGES.notifications, routingKey: '' },
      envelope,
    );
    await expect(ended).rejects.toMatchObject({ code: 4001, reason: 'session_ended' });
    await feed.close();
  });

  it('refuses an invalid subscription before subscribing, with the catalogue code', async () => {
    const ada = await seed();
    const feed = subscribe(ada.accessToken, 'subscription { messageAdded { nope } }');
    await expect(feed.next()).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'validation_failed' } }),
    ]);
    await feed.close();
  });
});
