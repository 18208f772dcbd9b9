import { randomUUID } from 'node:crypto';
import {
  realtimeWorld,
  type Frame,
  type Instance,
  type RealtimeWorld,
  type TestSocket,
  ofType,
  onlineUser,
} from './harness.js';

describe('the chat archive', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    // Small batches, so a pass takes several transactions, as it does on a real backlog.
    instance = await world.start({ CHAT_ARCHIVE_AFTER_DAYS: '30', CHAT_ARCHIVE_BATCH_SIZE: '2' });
  });
  afterAll(() => world.close());

  const online = () => onlineUser(world, instance);

  const get = async (token: string, path: string) => {
    const response = await fetch(`${instance.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const send = async (socket: TestSocket, channel: string, text: string) => {
    const clientId = randomUUID();
    socket.send({ type: 'chat.send', channel, text, clientId });
    return socket.next(ofType('chat.ack', (f) => f.clientId === clientId));
  };

  /** A group of two with seven messages, the first five written 40 days ago. */
  const oldConversation = async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const created = await fetch(`${instance.url}/chat/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'old friends', members: [bob.id] }),
    });
    const group = ((await created.json()) as { id: string }).id;
    const word = `w${randomUUID().slice(0, 8)}`;
    const acks: Frame[] = [];
    for (let n = 1; n <= 7; n++)
      acks.push(await send(ada.socket, group, `message ${n} ${n === 3 ? word : ''}`));
    bob.socket.send({ type: 'reaction', id: acks[0]?.id, emoji: '👍', on: true });
    await bob.socket.next(ofType('reaction', (f) => f.id === acks[0]?.id));
    ada.socket.send({ type: 'message.delete', id: acks[1]?.id });
    await ada.socket.next(ofType('message.deleted', (f) => f.id === acks[1]?.id));
    await world.orm.em
      .getKnex()
      .raw(
        `update chat_messages set created_at = now() - interval '40 days' where conversation_id = ? and seq <= 5`,
        [group],
      );
    return { ada, bob, group, word, acks };
  };

  it('moves old messages out of the hot table while history, sync, search and the list still find them', async () => {
    const { ada, bob, group, word, acks } = await oldConversation();
    expect(await instance.running.archiveNow()).toBe(5);
    const knex = world.orm.em.getKnex();
    const count = async (table: string) =>
      Number(
        ((await knex(table).where('conversation_id', group).count({ n: '*' })) as { n: string }[])[0]?.n,
      );
    expect([await count('chat_messages'), await count('chat_messages_archive')]).toEqual([2, 5]);

    const newest = await get(bob.accessToken, `/chat/conversations/${group}/messages?limit=4`);
    const page = newest.body.messages as Frame[];
    expect(page.map((m) => [m.seq, m.archived ?? false])).toEqual([
      [4, true],
      [5, true],
      [6, false],
      [7, false],
    ]);
    const older = await get(bob.accessToken, `/chat/conversations/${group}/messages?before=4`);
    const rest = older.body.messages as Frame[];
    expect(rest.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(rest[0]).toMatchObject({ archived: true, reactions: { '👍': 1 } });
    expect(rest[1]).toMatchObject({ archived: true, deleted: true, text: '' });
    expect(older.body.hasMore).toBe(false);

    bob.socket.send({ type: 'chat.sync', conversations: [{ id: group, after: 0 }] });
    const sync = await bob.socket.next(ofType('chat.sync', (f) => f.conversationId === group));
    expect((sync.messages as Frame[]).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const found = await get(bob.accessToken, `/chat/search?q=${word}`);
    expect(found.body.items).toEqual([expect.objectContaining({ id: acks[2]?.id, archived: true })]);

    // Archived messages are read only; the conversation goes on numbering after them.
    ada.socket.send({ type: 'message.edit', id: acks[4]?.id, text: 'rewriting history' });
    await ada.socket.next(ofType('error', (f) => f.code === 'not_found' && f.ref === acks[4]?.id));
    expect(await send(ada.socket, group, 'still here')).toMatchObject({ seq: 8 });
    expect(await instance.running.archiveNow()).toBe(0);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('keeps an archived last message in the conversation list', async () => {
    const { ada, bob, group } = await oldConversation();
    await world.orm.em
      .getKnex()
      .raw(`update chat_messages set created_at = now() - interval '40 days' where conversation_id = ?`, [
        group,
      ]);
    await instance.running.archiveNow();
    const list = await get(bob.accessToken, '/chat/conversations');
    const line = (list.body.items as Frame[]).find((item) => item.id === group);
    expect(line?.lastMessage).toMatchObject({ seq: 7, archived: true });
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('archives each message once when two instances pass at the same time', async () => {
    const { ada, bob, group } = await oldConversation();
    const second = await world.start({ CHAT_ARCHIVE_AFTER_DAYS: '30', CHAT_ARCHIVE_BATCH_SIZE: '1' });
    const moved = await Promise.all([instance.running.archiveNow(), second.running.archiveNow()]);
    const archived = await world.orm.em.getKnex()('chat_messages_archive').where('conversation_id', group);
    expect(archived).toHaveLength(5);
    // The passes took turns (the advisory lock) and skipped each other's rows: five moves in all.
    expect(moved[0] + moved[1]).toBe(5);
    await second.stop();
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });
});
