import { randomUUID } from 'node:crypto';
import { API_CONTENT_SECURITY_POLICY, GLOBAL_CONVERSATION_ID } from '@platform/contracts';
import type { SeededUser } from '@platform/testkit';
import type { ChatService } from '../../src/chat/chat.service.js';
import type { ConversationSummary, GroupView, MemberView, MessageView } from '../../src/chat/chat.types.js';
import { chatServiceOf } from '../support/chat-service.js';
import { realtimeWorld, type Instance, type RealtimeWorld } from './harness.js';

interface Reply<T> {
  status: number;
  contentType: string;
  body: T;
}
type Problem = { code: string; status: number; detail: string; errors?: { path: string; message: string }[] };
type BodyInit = NonNullable<RequestInit['body']>;
type History = {
  conversationId: string;
  messages: MessageView[];
  hasMore: boolean;
  nextBefore: number | null;
};

/** A word the full-text index sees as one token, unique to this run. */
const uniqueWord = () =>
  Array.from(randomUUID().replaceAll('-', ''), (c) => String.fromCharCode(97 + (parseInt(c, 16) % 26))).join(
    '',
  );

describe('chat REST routes', () => {
  let world: RealtimeWorld;
  let instance: Instance;
  let chat: ChatService;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start();
    chat = chatServiceOf(world, { maxTextLength: 4000, maxGroupMembers: 500 });
  });
  afterAll(() => world.close());

  /** One request; `json` is sent as application/json, `raw` as is with `contentType`. */
  async function api<T = Problem>(
    user: SeededUser | null,
    method: string,
    path: string,
    options: { json?: unknown; raw?: BodyInit; contentType?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (user) headers.authorization = `Bearer ${user.accessToken}`;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (body !== undefined) init.body = body;
    if (body instanceof ReadableStream) init.duplex = 'half';
    const res = await fetch(`${instance.url}${path}`, init);
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : null) as T,
    };
  }

  async function groupOf(owner: SeededUser, members: SeededUser[] = [], name = 'Book club') {
    const reply = await api<GroupView>(owner, 'POST', '/chat/groups', {
      json: { name, members: members.map((member) => member.id) },
    });
    expect(reply.status).toBe(201);
    return reply.body;
  }

  const conversations = async (user: SeededUser) =>
    (await api<{ items: ConversationSummary[] }>(user, 'GET', '/chat/conversations')).body.items;

  const actor = (user: SeededUser) => ({ userId: user.id, role: user.role });

  it('refuses every chat route without a valid bearer token', async () => {
    const id = randomUUID();
    const routes: [string, string][] = [
      ['GET', '/chat/conversations'],
      ['GET', '/chat/conversations/global/messages'],
      ['GET', '/chat/search?q=hello'],
      ['POST', '/chat/groups'],
      ['GET', `/chat/groups/${id}`],
      ['POST', `/chat/groups/${id}/members`],
      ['PATCH', `/chat/groups/${id}/members/me`],
      ['DELETE', `/chat/groups/${id}/members/me`],
    ];
    for (const [method, path] of routes) {
      const reply = await api(null, method, path, method === 'POST' ? { json: { name: 'x' } } : {});
      expect({ method, path, status: reply.status, type: reply.contentType }).toEqual({
        method,
        path,
        status: 401,
        type: 'application/problem+json',
      });
    }
    const forged = await fetch(`${instance.url}/chat/conversations`, {
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(forged.status).toBe(401);
    // Refusals carry the same security headers as every answer of the platform.
    expect(forged.headers.get('x-content-type-options')).toBe('nosniff');
    expect(forged.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY);
  });

  it('shows a new group, with its owner and members, in every member’s conversations', async () => {
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    const group = await groupOf(ada, [bob]);
    expect(group).toMatchObject({ name: 'Book club', createdBy: ada.id });
    expect(group.members.map((m) => [m.userId, m.role]).sort()).toEqual(
      [
        [ada.id, 'owner'],
        [bob.id, 'member'],
      ].sort(),
    );
    for (const [user, role] of [
      [ada, 'owner'],
      [bob, 'member'],
    ] as const) {
      const items = await conversations(user);
      expect(items[0]?.kind).toBe('global');
      expect(items).toContainEqual(
        expect.objectContaining({ kind: 'group', channel: group.id, name: 'Book club', role }),
      );
    }
    const read = await api<GroupView>(bob, 'GET', `/chat/groups/${group.id}`);
    expect(read.status).toBe(200);
    expect(read.contentType).toBe('application/json');
    expect(read.body.id).toBe(group.id);
  });

  it('answers 404 to a non-member for the group, its members and its messages', async () => {
    const [ada, bob, eve] = await Promise.all([world.seedUser(), world.seedUser(), world.seedUser()]);
    const group = await groupOf(ada, [bob]);
    const conversationId = (await conversations(ada)).find((c) => c.channel === group.id)?.id ?? '';
    const attempts = [
      await api(eve, 'GET', `/chat/groups/${group.id}`),
      await api(eve, 'POST', `/chat/groups/${group.id}/members`, { json: { userId: eve.id } }),
      await api(eve, 'PATCH', `/chat/groups/${group.id}/members/${bob.id}`, { json: { role: 'owner' } }),
      await api(eve, 'DELETE', `/chat/groups/${group.id}/members/${bob.id}`),
      await api(eve, 'GET', `/chat/conversations/${conversationId}/messages`),
      await api(ada, 'GET', `/chat/groups/${randomUUID()}`),
      await api(ada, 'GET', '/chat/groups/not-a-uuid'),
      await api(ada, 'GET', '/chat/conversations/not-a-uuid/messages'),
    ];
    for (const reply of attempts) {
      expect(reply).toMatchObject({ status: 404, contentType: 'application/problem+json' });
      expect(reply.body.code).toBe('not_found');
    }
    expect((await conversations(eve)).some((c) => c.channel === group.id)).toBe(false);
  });

  it('lets only an owner add members', async () => {
    const [ada, bob, cat] = await Promise.all([world.seedUser(), world.seedUser(), world.seedUser('Cat')]);
    const group = await groupOf(ada, [bob]);
    const byMember = await api(bob, 'POST', `/chat/groups/${group.id}/members`, { json: { userId: cat.id } });
    expect(byMember.status).toBe(403);
    expect(byMember.body.code).toBe('forbidden');
    const byOwner = await api<MemberView>(ada, 'POST', `/chat/groups/${group.id}/members`, {
      json: { userId: cat.id },
    });
    expect(byOwner.status).toBe(201);
    expect(byOwner.body).toMatchObject({ userId: cat.id, displayName: 'Cat', role: 'member' });
    expect((await conversations(cat)).some((c) => c.channel === group.id)).toBe(true);
  });

  it('lets owners change roles, but never leaves a group without an owner', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const group = await groupOf(ada, [bob]);
    const members = `/chat/groups/${group.id}/members`;

    const alone = await api(ada, 'PATCH', `${members}/me`, { json: { role: 'member' } });
    expect(alone).toMatchObject({ status: 409, body: { code: 'last_owner' } });
    const notOwner = await api(bob, 'PATCH', `${members}/${ada.id}`, { json: { role: 'member' } });
    expect(notOwner).toMatchObject({ status: 403, body: { code: 'forbidden' } });

    const promoted = await api<MemberView>(ada, 'PATCH', `${members}/${bob.id}`, { json: { role: 'owner' } });
    expect(promoted).toMatchObject({ status: 200, body: { userId: bob.id, role: 'owner' } });
    const steppedDown = await api<MemberView>(ada, 'PATCH', `${members}/${ada.id}`, {
      json: { role: 'member' },
    });
    expect(steppedDown).toMatchObject({ status: 200, body: { userId: ada.id, role: 'member' } });
    const last = await api(bob, 'PATCH', `${members}/${bob.id}`, { json: { role: 'member' } });
    expect(last).toMatchObject({ status: 409, body: { code: 'last_owner' } });
  });

  it('lets an owner remove another owner only after demoting them (owners have equal rights)', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const group = await groupOf(ada, [bob]);
    const bobs = `/chat/groups/${group.id}/members/${bob.id}`;
    expect((await api(ada, 'PATCH', bobs, { json: { role: 'owner' } })).status).toBe(200);
    expect(await api(ada, 'DELETE', bobs)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await api(ada, 'PATCH', bobs, { json: { role: 'member' } })).status).toBe(200);
    expect((await api(ada, 'DELETE', bobs)).status).toBe(204);
  });

  it('caps the unread count of a conversation at 1000', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const first = await chat.send(actor(ada), { kind: 'direct', userId: bob.id }, 'hi', randomUUID());
    const { conversationId } = first.message;
    // 1004 more from Ada, written straight to the tables (sending them one by one takes too long).
    const db = world.orm.em.getKnex();
    await db.raw(
      `insert into chat_messages (id, conversation_id, seq, author_id, client_id, body)
       select gen_random_uuid(), ?, s, ?, 'bulk-' || s, 'bulk' from generate_series(2, 1005) s`,
      [conversationId, ada.id],
    );
    await db.raw('update conversations set last_seq = 1005 where id = ?', [conversationId]);
    const line = (await conversations(bob)).find((c) => c.id === conversationId);
    expect(line).toMatchObject({ lastSeq: 1005, lastReadSeq: 0, unread: 1000 });
  });

  it('lets a member leave with `me`, after which the group is gone for them', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const group = await groupOf(ada, [bob]);
    const left = await fetch(`${instance.url}/chat/groups/${group.id}/members/me`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${bob.accessToken}` },
    });
    expect(left.status).toBe(204);
    expect(await left.text()).toBe('');
    expect((await api(bob, 'GET', `/chat/groups/${group.id}`)).status).toBe(404);
    expect((await conversations(bob)).some((c) => c.channel === group.id)).toBe(false);
    const seen = await api<GroupView>(ada, 'GET', `/chat/groups/${group.id}`);
    expect(seen.body.members.map((m) => m.userId)).toEqual([ada.id]);
  });

  it('explains every invalid field as 400 validation_failed', async () => {
    const ada = await world.seedUser();
    const created = await api(ada, 'POST', '/chat/groups', { json: { name: '   ', members: ['nope'] } });
    expect(created).toMatchObject({ status: 400, contentType: 'application/problem+json' });
    expect(created.body.code).toBe('validation_failed');
    expect(created.body.errors?.map((e) => e.path).sort()).toEqual(['members.0', 'name']);
    expect(created.body.errors?.every((e) => typeof e.message === 'string' && e.message.length > 0)).toBe(
      true,
    );

    const extra = await api(ada, 'POST', '/chat/groups', { json: { name: 'ok', admin: true } });
    expect(extra.body.errors).toEqual([{ path: '(body)', message: 'unknown field(s): admin' }]);
    const group = await groupOf(ada);
    const role = await api(ada, 'PATCH', `/chat/groups/${group.id}/members/me`, { json: { role: 'admin' } });
    expect(role.body.errors?.map((e) => e.path)).toEqual(['role']);
    const limit = await api(ada, 'GET', '/chat/conversations/global/messages?limit=51');
    expect(limit).toMatchObject({ status: 400, body: { errors: [{ path: 'limit' }] } });
    const search = await api(ada, 'GET', '/chat/search?limit=0');
    expect(search.body.errors?.map((e) => e.path).sort()).toEqual(['limit', 'q']);
  });

  it('reads only JSON bodies of at most 16 KiB', async () => {
    const ada = await world.seedUser();
    const post = (options: Parameters<typeof api>[3]) => api(ada, 'POST', '/chat/groups', options);
    const body = JSON.stringify({ name: 'Typed' });

    expect(await post({ raw: body, contentType: 'text/plain' })).toMatchObject({
      status: 415,
      contentType: 'application/problem+json',
      body: { code: 'unsupported_media_type' },
    });
    expect((await post({ raw: new Blob([body]) })).status).toBe(415);
    expect((await post({ raw: body, contentType: 'application/json; charset=utf-8' })).status).toBe(201);
    expect(await post({ raw: '{"name":', contentType: 'application/json' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_json' },
    });
    expect(await post({ raw: '', contentType: 'application/json' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_json' },
    });

    const big = JSON.stringify({ name: 'Big', pad: 'x'.repeat(16 * 1024) });
    expect(await post({ json: JSON.parse(big) })).toMatchObject({
      status: 413,
      body: { code: 'payload_too_large' },
    });
    // Streamed without a Content-Length: the limit counts what arrives.
    const chunks = Array.from({ length: 5 }, () => new TextEncoder().encode('x'.repeat(4096)));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    expect(await post({ raw: stream, contentType: 'application/json' })).toMatchObject({
      status: 413,
      body: { code: 'payload_too_large' },
    });

    // The token is checked first: a stranger learns nothing about what the body would have done.
    expect((await api(null, 'POST', '/chat/groups', { raw: 'nope', contentType: 'text/plain' })).status).toBe(
      401,
    );
  });

  it('pages through history with before and nextBefore, oldest first', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const group = await groupOf(ada, [bob]);
    for (let n = 1; n <= 5; n += 1) {
      await chat.send(
        actor(n % 2 ? ada : bob),
        { kind: 'group', groupId: group.id },
        `message ${n}`,
        randomUUID(),
      );
    }
    const conversationId = (await conversations(bob)).find((c) => c.channel === group.id)?.id ?? '';
    const path = `/chat/conversations/${conversationId}/messages`;

    const first = await api<History>(bob, 'GET', `${path}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.conversationId).toBe(conversationId);
    expect(first.body.messages.map((m) => [m.seq, m.text])).toEqual([
      [4, 'message 4'],
      [5, 'message 5'],
    ]);
    expect(first.body).toMatchObject({ hasMore: true, nextBefore: 4 });

    const second = await api<History>(bob, 'GET', `${path}?limit=2&before=${first.body.nextBefore}`);
    expect(second.body.messages.map((m) => m.seq)).toEqual([2, 3]);
    expect(second.body).toMatchObject({ hasMore: true, nextBefore: 2 });

    const last = await api<History>(bob, 'GET', `${path}?limit=2&before=${second.body.nextBefore}`);
    expect(last.body.messages.map((m) => m.seq)).toEqual([1]);
    expect(last.body).toMatchObject({ hasMore: false, nextBefore: null });

    const everything = await api<History>(ada, 'GET', path);
    expect(everything.body.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(everything.body).toMatchObject({ hasMore: false, nextBefore: null });
  });

  it('reads the global channel’s history by the name `global`', async () => {
    const ada = await world.seedUser();
    const word = uniqueWord();
    await chat.send(actor(ada), { kind: 'global' }, `hello ${word}`, randomUUID());
    const page = await api<History>(ada, 'GET', '/chat/conversations/global/messages?limit=5');
    expect(page.status).toBe(200);
    expect(page.body.conversationId).toBe(GLOBAL_CONVERSATION_ID);
    expect(page.body.messages.at(-1)).toMatchObject({
      text: `hello ${word}`,
      from: ada.id,
      channel: 'global',
    });
    const byId = await api<History>(
      ada,
      'GET',
      `/chat/conversations/${GLOBAL_CONVERSATION_ID}/messages?limit=5`,
    );
    expect(byId.status).toBe(200);
    expect(byId.body.messages).toEqual(page.body.messages);
  });

  it('searches only the conversations the caller is in', async () => {
    const [ada, bob, eve] = await Promise.all([world.seedUser(), world.seedUser(), world.seedUser()]);
    const word = uniqueWord();
    const ours = await groupOf(ada, [bob], 'Ours');
    const theirs = await groupOf(eve, [], 'Theirs');
    await chat.send(actor(bob), { kind: 'group', groupId: ours.id }, `the ${word} is here`, randomUUID());
    await chat.send(actor(eve), { kind: 'group', groupId: theirs.id }, `a secret ${word}`, randomUUID());

    const found = await api<{ items: MessageView[] }>(ada, 'GET', `/chat/search?q=${word}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((m) => m.text)).toEqual([`the ${word} is here`]);
    const hers = await api<{ items: MessageView[] }>(eve, 'GET', `/chat/search?q=${word}&limit=10`);
    expect(hers.body.items.map((m) => m.text)).toEqual([`a secret ${word}`]);
  });
});
