import { randomUUID } from 'node:crypto';
import { createLogger } from '@platform/observability';
import { RecentCache } from '../../src/chat/recent-cache.js';
import {
  realtimeWorld,
  type Frame,
  type Instance,
  type RealtimeWorld,
  type TestSocket,
  ofType,
  onlineUser,
  connect,
} from './harness.js';

describe('the recent-message cache', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start();
  });
  afterAll(() => world.close());

  const pageKey = (conversationId: string) => `chat:recent:${conversationId}`;

  const online = () => onlineUser(world, instance);

  const newestPage = async (token: string, conversationId: string) => {
    const response = await fetch(`${instance.url}/chat/conversations/${conversationId}/messages?limit=10`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await response.json()) as { messages: Frame[] }).messages;
  };

  const send = async (socket: TestSocket, to: string, text: string) => {
    const clientId = randomUUID();
    socket.send({ type: 'chat.send', to, text, clientId });
    return socket.next(ofType('chat.ack', (f) => f.clientId === clientId));
  };

  it('serves the newest page from Redis and keeps it right through send, edit, reaction and delete', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const first = await send(ada.socket, bob.id, 'first');
    const conversationId = first.conversationId as string;
    expect((await newestPage(bob.accessToken, conversationId)).map((m) => m.text)).toEqual(['first']);
    expect(await world.redis.get(pageKey(conversationId))).toContain('"first"');

    await send(ada.socket, bob.id, 'second');
    expect((await newestPage(bob.accessToken, conversationId)).map((m) => m.text)).toEqual([
      'first',
      'second',
    ]);

    ada.socket.send({ type: 'message.edit', id: first.id, text: 'first, edited' });
    await ada.socket.next(ofType('message.edited', (f) => f.id === first.id));
    expect((await newestPage(bob.accessToken, conversationId))[0]).toMatchObject({ text: 'first, edited' });

    bob.socket.send({ type: 'reaction', id: first.id, emoji: '🎉', on: true });
    await bob.socket.next(ofType('reaction', (f) => f.id === first.id));
    expect((await newestPage(ada.accessToken, conversationId))[0]).toMatchObject({ reactions: { '🎉': 1 } });

    ada.socket.send({ type: 'message.delete', id: first.id });
    await ada.socket.next(ofType('message.deleted', (f) => f.id === first.id));
    expect((await newestPage(bob.accessToken, conversationId))[0]).toMatchObject({ deleted: true, text: '' });
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('rebuilds a page Redis lost, and the socket’s chat.history reads the same page', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const ack = await send(ada.socket, bob.id, 'survives a flush');
    const conversationId = ack.conversationId as string;
    await newestPage(bob.accessToken, conversationId);
    // What a FLUSHALL or an eviction does to this conversation's keys (the shared Redis is not flushed).
    await world.redis.del(pageKey(conversationId), `chat:recent:v:${conversationId}`);
    bob.socket.send({ type: 'chat.history', to: ada.id });
    const history = await bob.socket.next(ofType('chat.history', (f) => f.conversationId === conversationId));
    expect((history.messages as Frame[]).map((m) => m.text)).toEqual(['survives a flush']);
    expect(await world.redis.exists(pageKey(conversationId))).toBe(1);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('gives the connect snapshot the cached last message while it agrees with the database', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const ack = await send(ada.socket, bob.id, 'the real text');
    const conversationId = ack.conversationId as string;
    await newestPage(bob.accessToken, conversationId);
    // Mark the cached copy, so the snapshot shows where its last message came from.
    const cached = JSON.parse((await world.redis.get(pageKey(conversationId))) ?? '{}') as {
      messages: Frame[];
    };
    const last = cached.messages.at(-1);
    if (last) last.text = 'from the cache';
    await world.redis.set(pageKey(conversationId), JSON.stringify(cached));
    const lastMessageOf = async () => {
      const socket = await connect(instance, bob.accessToken);
      const snapshot = await socket.next(ofType('chat.snapshot'));
      await socket.close();
      const line = (snapshot.conversations as Frame[]).find((c) => c.id === conversationId);
      return line?.lastMessage as Frame | undefined;
    };
    expect(await lastMessageOf()).toMatchObject({ id: ack.id, text: 'from the cache' });
    // A newer message drops the page: the snapshot reads the database again, and is right.
    await send(ada.socket, bob.id, 'newer');
    expect(await lastMessageOf()).toMatchObject({ text: 'newer' });
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('drops a page read before a change that committed while it was being built', async () => {
    const cache = new RecentCache(world.redis, createLogger('recent-test', 'silent'));
    const conversationId = randomUUID();
    const version = await cache.version(conversationId);
    await cache.invalidate([conversationId]); // a send committed between the reader's version and its fill
    await cache.fill(conversationId, version, { conversationId, messages: [], hasMore: false });
    expect(await cache.read(conversationId)).toBeNull();
    await cache.fill(conversationId, await cache.version(conversationId), {
      conversationId,
      messages: [],
      hasMore: false,
    });
    expect(await cache.read(conversationId)).toEqual({ conversationId, messages: [], hasMore: false });
  });
});
