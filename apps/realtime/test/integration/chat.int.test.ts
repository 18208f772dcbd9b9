import { randomUUID } from 'node:crypto';
import {
  connect,
  realtimeWorld,
  sleep,
  type Frame,
  type Instance,
  type RealtimeWorld,
  type TestSocket,
  ofType,
  onlineUser,
} from './harness.js';

/** A fresh clientId and a text nobody else's test sends on the shared global channel. */
const unique = (label: string) => ({ clientId: randomUUID(), text: `${label} ${randomUUID()}` });

describe('chat over WebSocket', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start({ WS_MESSAGES_PER_SECOND: '50', CHAT_MAX_TEXT_LENGTH: '200' });
  });
  afterAll(() => world.close());

  /** A seeded user with an open socket that has received its connect snapshot. */
  const online = (name?: string) => onlineUser(world, instance, name);

  /** Sends and waits for the ack: the message is stored once this returns. */
  const send = async (socket: TestSocket, frame: Record<string, unknown>) => {
    const clientId = (frame.clientId as string | undefined) ?? randomUUID();
    socket.send({ type: 'chat.send', ...frame, clientId });
    return socket.next(ofType('chat.ack', (f) => f.clientId === clientId));
  };

  it('delivers a global message to every connected user, acked to its author with an id and seq', async () => {
    const [ada, bob] = await Promise.all([online('Ada'), online('Bob')]);
    const { clientId, text } = unique('hello all');
    const ack = await send(ada.socket, { channel: 'global', text, clientId });
    expect(ack).toMatchObject({ clientId, id: expect.any(String), seq: expect.any(Number) });
    const received = await bob.socket.next(ofType('chat.message', (f) => f.text === text));
    expect(received).toMatchObject({ id: ack.id, channel: 'global', from: ada.id, seq: ack.seq });
    await ada.socket.next(ofType('chat.message', (f) => f.id === ack.id));
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('stores a resent clientId once: the same ack, and one message for the others', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const { clientId, text } = unique('once');
    const first = await send(ada.socket, { text, clientId });
    ada.socket.frames.length = 0;
    const again = await send(ada.socket, { text, clientId });
    expect(again).toMatchObject({ id: first.id, seq: first.seq });
    await sleep(300);
    expect(bob.socket.frames.filter(ofType('chat.message', (f) => f.text === text))).toHaveLength(1);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('delivers a direct message to its recipient only, and receipts flow back to the author', async () => {
    const [ada, bob, eve] = await Promise.all([online(), online(), online()]);
    const { text } = unique('psst');
    const ack = await send(ada.socket, { to: bob.id, text });
    const got = await bob.socket.next(ofType('chat.message', (f) => f.text === text));
    expect(got).toMatchObject({ from: ada.id, to: bob.id, conversationId: ack.conversationId });
    expect(got).not.toHaveProperty('channel');
    await ada.socket.next(
      ofType('receipt', (f) => f.id === ack.id && f.status === 'delivered' && f.userId === bob.id),
    );
    bob.socket.send({ type: 'message.read', id: ack.id });
    await ada.socket.next(
      ofType('receipt', (f) => f.id === ack.id && f.status === 'read' && f.userId === bob.id),
    );
    // A read receipt goes to both members; a delivered one to the author only.
    await bob.socket.next(ofType('receipt', (f) => f.id === ack.id && f.status === 'read'));
    await sleep(200);
    expect(bob.socket.frames.filter(ofType('receipt', (f) => f.status === 'delivered'))).toEqual([]);
    expect(eve.socket.frames.filter((f) => f.text === text || f.id === ack.id)).toEqual([]);
    // Eve can neither read that conversation nor act on its message.
    eve.socket.send({ type: 'chat.history', conversationId: ack.conversationId });
    await eve.socket.next(ofType('error', (f) => f.code === 'not_found'));
    eve.socket.send({ type: 'reaction', id: ack.id, emoji: '👍', on: true });
    await eve.socket.next(ofType('error', (f) => f.code === 'not_found' && f.ref === ack.id));
    await Promise.all([ada.socket.close(), bob.socket.close(), eve.socket.close()]);
  });

  it('lets group members talk and keeps everyone else out', async () => {
    const [owner, member, outsider] = await Promise.all([online(), online(), online()]);
    const created = await fetch(`${instance.url}/chat/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Team', members: [member.id] }),
    });
    expect(created.status).toBe(201);
    const group = (await created.json()) as { id: string };
    const { text } = unique('team only');
    const ack = await send(member.socket, { channel: group.id, text });
    await owner.socket.next(ofType('chat.message', (f) => f.text === text && f.channel === group.id));
    await member.socket.next(
      ofType('receipt', (f) => f.id === ack.id && f.status === 'delivered' && f.userId === owner.id),
    );
    outsider.socket.send({ type: 'chat.send', channel: group.id, text: 'let me in', clientId: 'x-1' });
    await outsider.socket.next(ofType('error', (f) => f.code === 'not_found' && f.ref === 'x-1'));
    outsider.socket.send({ type: 'chat.history', channel: group.id });
    await outsider.socket.next(ofType('error', (f) => f.code === 'not_found'));
    await sleep(200);
    expect(outsider.socket.frames.filter((f) => f.text === text)).toEqual([]);
    expect(owner.socket.frames.filter(ofType('receipt'))).toEqual([]);
    await Promise.all([owner.socket.close(), member.socket.close(), outsider.socket.close()]);
  });

  it('shows edits, deletions and reactions to the others; only the author edits', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const ack = await send(ada.socket, { to: bob.id, ...unique('draft') });
    bob.socket.send({ type: 'message.edit', id: ack.id, text: 'not mine' });
    await bob.socket.next(ofType('error', (f) => f.code === 'forbidden' && f.ref === ack.id));
    ada.socket.send({ type: 'message.edit', id: ack.id, text: 'final <b>text</b>' });
    await bob.socket.next(
      ofType('message.edited', (f) => f.id === ack.id && f.text === 'final &lt;b&gt;text&lt;/b&gt;'),
    );
    bob.socket.send({ type: 'reaction', id: ack.id, emoji: '🎉', on: true });
    await ada.socket.next(
      ofType('reaction', (f) => f.id === ack.id && f.emoji === '🎉' && f.on === true && f.count === 1),
    );
    bob.socket.send({ type: 'reaction', id: ack.id, emoji: '🎉', on: false });
    await ada.socket.next(ofType('reaction', (f) => f.id === ack.id && f.on === false && f.count === 0));
    ada.socket.send({ type: 'message.delete', id: ack.id });
    await bob.socket.next(ofType('message.deleted', (f) => f.id === ack.id && f.deletedBy === ada.id));
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('lets an admin delete anyone’s message', async () => {
    const ada = await online();
    const admin = await world.seedUser();
    const adminSocket = await connect(
      instance,
      world.tokens.sign({ userId: admin.id, role: 'admin', sessionId: admin.sessionId, authTime: new Date() })
        .token,
    );
    const ack = await send(ada.socket, unique('rude words'));
    adminSocket.send({ type: 'message.delete', id: ack.id });
    await ada.socket.next(ofType('message.deleted', (f) => f.id === ack.id && f.deletedBy === admin.id));
    await Promise.all([ada.socket.close(), adminSocket.close()]);
  });

  it('sends typing indicators to the other party and drops a flood of them silently', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    for (let i = 0; i < 10; i++) ada.socket.send({ type: 'typing', to: bob.id, on: true });
    await bob.socket.next(ofType('typing', (f) => f.from === ada.id && f.on === true && f.to === bob.id));
    await sleep(300);
    // CHAT_TYPING_PER_SECOND (2) passes, the rest is dropped without an error frame.
    expect(bob.socket.frames.filter(ofType('typing', (f) => f.from === ada.id)).length).toBeLessThanOrEqual(
      2,
    );
    expect(ada.socket.frames.filter(ofType('error'))).toEqual([]);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('gives a reconnecting client exactly the messages after its last seen seq, and history by cursor', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const first = await send(ada.socket, { to: bob.id, ...unique('one') });
    await bob.socket.next(ofType('chat.message', (f) => f.id === first.id));
    await bob.socket.close();
    const missed = [];
    for (const label of ['two', 'three', 'four'])
      missed.push(await send(ada.socket, { to: bob.id, ...unique(label) }));
    const back = await connect(instance, bob.accessToken);
    const snapshot = await back.next(ofType('chat.snapshot'));
    const line = (snapshot.conversations as Frame[]).find((c) => c.id === first.conversationId);
    expect(line).toMatchObject({
      kind: 'direct',
      with: ada.id,
      unread: 4,
      lastMessage: { id: missed[2]?.id },
    });
    back.send({ type: 'chat.sync', conversations: [{ id: first.conversationId, after: first.seq }] });
    const sync = await back.next(ofType('chat.sync'));
    expect((sync.messages as Frame[]).map((m) => m.id)).toEqual(missed.map((m) => m.id));
    expect(sync.hasMore).toBe(false);
    back.send({ type: 'chat.history', to: ada.id, before: missed[1]?.seq, limit: 1 });
    const page = await back.next(ofType('chat.history'));
    expect(page).toMatchObject({ hasMore: true, messages: [{ id: missed[0]?.id }] });
    await Promise.all([ada.socket.close(), back.close()]);
  });

  it('syncs the global channel by the conversation id its acks and snapshot carry', async () => {
    const ada = await online();
    const ack = await send(ada.socket, unique('catch me up'));
    ada.socket.send({
      type: 'chat.sync',
      conversations: [{ id: ack.conversationId, after: (ack.seq as number) - 1 }],
    });
    const sync = await ada.socket.next(ofType('chat.sync'));
    expect(sync.conversationId).toBe(ack.conversationId);
    expect((sync.messages as Frame[])[0]).toMatchObject({ id: ack.id, channel: 'global' });
    await ada.socket.close();
  });

  it('answers bad chat frames with errors that name the request, and stays usable', async () => {
    const ada = await online();
    ada.socket.send({ type: 'chat.send', text: 'no client id' });
    await ada.socket.next(ofType('error', (f) => f.code === 'validation_failed'));
    ada.socket.send({ type: 'chat.send', text: 'x'.repeat(201), clientId: 'long-1' });
    await ada.socket.next(ofType('error', (f) => f.code === 'validation_failed' && f.ref === 'long-1'));
    ada.socket.send({ type: 'chat.send', text: 'both', channel: 'global', to: ada.id, clientId: 'both-1' });
    await ada.socket.next(ofType('error', (f) => f.code === 'validation_failed' && f.ref === 'both-1'));
    ada.socket.send({ type: 'chat.send', text: 'ghost', to: randomUUID(), clientId: 'ghost-1' });
    await ada.socket.next(ofType('error', (f) => f.code === 'not_found' && f.ref === 'ghost-1'));
    ada.socket.send({ type: 'reaction', id: randomUUID(), emoji: 'lol', on: true });
    await ada.socket.next(ofType('error', (f) => f.code === 'validation_failed'));
    const { text } = unique('<script>alert(1)</script>');
    const ack = await send(ada.socket, { text });
    const echoed = await ada.socket.next(ofType('chat.message', (f) => f.id === ack.id));
    expect(echoed.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(echoed.text).not.toContain('<');
    await ada.socket.close();
  });
});
