import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { namespaced, QUEUES, type Envelope, type EventPayload } from '@platform/contracts';
import { seedUser } from '@platform/testkit';
import {
  connect,
  eventually,
  realtimeWorld,
  type Instance,
  type RealtimeWorld,
  type TestSocket,
  ofType,
  onlineUser,
} from './harness.js';

const FLAGGED = 'this build is fucking broken';

describe('chat moderation, summaries and sentiment', () => {
  let world: RealtimeWorld;
  let instance: Instance;
  let admin: { id: string; accessToken: string };
  let amqpConnection: amqp.ChannelModel;
  let logs: amqp.Channel;
  const audits: EventPayload<'log.audit'>[] = [];

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start({ CHAT_MODERATION_ACTION: 'mask' });
    admin = await seedUser({ orm: world.orm, tokens: world.tokens }, { role: 'admin' });
    amqpConnection = await amqp.connect(world.env.env.AMQP_URL ?? '');
    logs = await amqpConnection.createChannel();
  });
  afterAll(async () => {
    await amqpConnection.close();
    await world.close();
  });

  /** The audit records realtime's outbox relay has published to the logs queue so far. */
  const auditsNow = async () => {
    const queue = namespaced(world.env.namespace, QUEUES.logs);
    for (let m = await logs.get(queue, { noAck: true }); m; m = await logs.get(queue, { noAck: true })) {
      const envelope = JSON.parse(m.content.toString()) as Envelope<EventPayload<'log.audit'>>;
      if (envelope.type === 'log.audit') audits.push(envelope.payload);
    }
    return audits;
  };

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${instance.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-request-id': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };

  const online = () => onlineUser(world, instance);

  /** A group of the two with both sockets told about it. */
  const groupOf = async (owner: { accessToken: string }, member: { id: string }) => {
    const created = await api(owner.accessToken, 'POST', '/chat/groups', {
      name: `g-${randomUUID().slice(0, 6)}`,
      members: [member.id],
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  /** Sends and returns the first answer naming the clientId: an ack or an error frame. */
  const send = async (socket: TestSocket, channel: string, text: string, clientId = randomUUID()) => {
    socket.send({ type: 'chat.send', channel, text, clientId });
    return socket.next(
      (f) => (f.type === 'chat.ack' && f.clientId === clientId) || (f.type === 'error' && f.ref === clientId),
    );
  };

  it('stars offensive words by default, for the recipients and in the history', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const group = await groupOf(ada, bob);
    const ack = await send(ada.socket, group, FLAGGED);
    expect(ack.type).toBe('chat.ack');
    const received = await bob.socket.next(ofType('chat.message', (f) => f.id === ack.id));
    expect(received.text).toBe('this build is ****ing broken');
    const history = await api(bob.accessToken, 'GET', `/chat/conversations/${group}/messages`);
    expect(JSON.stringify(history.body)).not.toMatch(/fuck/i);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('holds flagged text in a hold conversation until a moderator approves it, audited', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const group = await groupOf(ada, bob);
    expect(
      (await api(ada.accessToken, 'PUT', `/chat/conversations/${group}/moderation`, { action: 'hold' }))
        .status,
    ).toBe(403);
    const set = await api(admin.accessToken, 'PUT', `/chat/conversations/${group}/moderation`, {
      action: 'hold',
    });
    expect(set).toMatchObject({
      status: 200,
      body: { conversationId: group, action: 'hold', effective: 'hold' },
    });

    const clientId = randomUUID();
    expect(await send(ada.socket, group, FLAGGED, clientId)).toMatchObject({
      type: 'error',
      code: 'message_held',
    });
    // A resend after a lost answer is held once, not twice.
    expect(await send(ada.socket, group, FLAGGED, clientId)).toMatchObject({ code: 'message_held' });
    const clean = await send(ada.socket, group, 'clean words pass straight through');
    expect(clean).toMatchObject({ type: 'chat.ack', seq: 1 });

    expect((await api(bob.accessToken, 'GET', '/chat/moderation/held')).status).toBe(403);
    const queue = await api(admin.accessToken, 'GET', '/chat/moderation/held?limit=100');
    const held = (queue.body.items as Record<string, unknown>[]).filter(
      (item) => item.conversationId === group,
    );
    expect(held).toEqual([expect.objectContaining({ from: ada.id, terms: ['fuck'], text: FLAGGED })]);
    // Nobody saw it meanwhile.
    expect(bob.socket.frames.some((f) => f.type === 'chat.message' && f.text === FLAGGED)).toBe(false);

    const approved = await api(
      admin.accessToken,
      'POST',
      `/chat/moderation/held/${String(held[0]?.id)}/approve`,
    );
    expect(approved).toMatchObject({
      status: 200,
      body: { message: { text: FLAGGED, from: ada.id, seq: 2 } },
    });
    await bob.socket.next(ofType('chat.message', (f) => f.text === FLAGGED && f.seq === 2));
    expect(
      (await api(admin.accessToken, 'POST', `/chat/moderation/held/${String(held[0]?.id)}/approve`)).status,
    ).toBe(404);

    // A second flagged message, rejected: it never appears.
    expect(await send(ada.socket, group, `${FLAGGED} again`)).toMatchObject({ code: 'message_held' });
    const again = await api(admin.accessToken, 'GET', '/chat/moderation/held?limit=100');
    const second = (again.body.items as Record<string, unknown>[]).find(
      (item) => item.conversationId === group,
    );
    const rejected = await api(
      admin.accessToken,
      'POST',
      `/chat/moderation/held/${String(second?.id)}/reject`,
    );
    expect(rejected.status).toBe(204);

    // And the approved one deleted by the admin, who is not in the conversation.
    const adminSocket = await connect(instance, admin.accessToken);
    await adminSocket.next(ofType('chat.snapshot'));
    const approvedId = (approved.body.message as { id: string }).id;
    adminSocket.send({ type: 'message.delete', id: approvedId });
    await bob.socket.next(ofType('message.deleted', (f) => f.id === approvedId && f.deletedBy === admin.id));

    // Each act is written with its audit record in one transaction, and published by the outbox.
    await eventually("the moderator's acts are audited", async () => {
      const actions = (await auditsNow()).filter((a) => a.actorId === admin.id).map((a) => a.action);
      return [
        'chat.moderation.set',
        'chat.held.approved',
        'chat.held.rejected',
        'chat.message.deleted',
      ].every((action) => actions.includes(action));
    });
    await Promise.all([ada.socket.close(), bob.socket.close(), adminSocket.close()]);
  });

  it('refuses flagged text and flagged edits in a refuse conversation', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const group = await groupOf(ada, bob);
    await api(admin.accessToken, 'PUT', `/chat/conversations/${group}/moderation`, { action: 'refuse' });
    expect(await send(ada.socket, group, FLAGGED)).toMatchObject({ type: 'error', code: 'message_refused' });
    const ack = await send(ada.socket, group, 'a perfectly polite message');
    expect(ack).toMatchObject({ type: 'chat.ack', seq: 1 });
    ada.socket.send({ type: 'message.edit', id: ack.id, text: FLAGGED });
    await ada.socket.next(ofType('error', (f) => f.code === 'message_refused'));
    const history = await api(bob.accessToken, 'GET', `/chat/conversations/${group}/messages`);
    expect(history.body.messages).toEqual([expect.objectContaining({ text: 'a perfectly polite message' })]);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('summarises a conversation for its members only', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const eve = await world.seedUser();
    const group = await groupOf(ada, bob);
    for (const text of [
      'Morning!',
      'The payments release failed in staging again.',
      'lol',
      'I think the payments migration broke the release.',
      'Rolling back the payments migration fixed the release.',
    ]) {
      expect((await send(ada.socket, group, text)).type).toBe('chat.ack');
    }
    const summary = await api(bob.accessToken, 'GET', `/chat/conversations/${group}/summary?messages=10`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ conversationId: group, provider: 'extractive', messagesRead: 5 });
    const points = summary.body.points as { text: string }[];
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((point) => /payments|release/i.test(point.text))).toBe(true);
    expect((await api(eve.accessToken, 'GET', `/chat/conversations/${group}/summary`)).status).toBe(404);
    expect(
      (await api(bob.accessToken, 'GET', `/chat/conversations/${group}/summary?messages=0`)).status,
    ).toBe(400);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });

  it('reports the review queue and the last day’s sentiment to moderators only', async () => {
    const [ada, bob] = await Promise.all([online(), online()]);
    const group = await groupOf(ada, bob);
    await send(ada.socket, group, 'I love this, thank you, great work');
    await send(ada.socket, group, 'This is awful and I hate it');
    const summary = await api(admin.accessToken, 'GET', '/chat/moderation/summary');
    expect(summary.status).toBe(200);
    const sentiment = summary.body.sentiment as Record<
      'messages' | 'positive' | 'neutral' | 'negative',
      number
    >;
    expect(sentiment.positive).toBeGreaterThanOrEqual(1);
    expect(sentiment.negative).toBeGreaterThanOrEqual(1);
    expect(sentiment.messages).toBe(sentiment.positive + sentiment.neutral + sentiment.negative);
    expect((await api(ada.accessToken, 'GET', '/chat/moderation/summary')).status).toBe(403);
    await Promise.all([ada.socket.close(), bob.socket.close()]);
  });
});
