import { randomUUID } from 'node:crypto';
import { Subscriber } from '@platform/bus';
import { EXCHANGES, GLOBAL_CONVERSATION_ID, type Audience, type Role } from '@platform/contracts';
import { createOrm } from '@platform/db';
import { createLogger } from '@platform/observability';
import type { ChatService } from '../../src/chat/chat.service.js';
import type { Actor, MessageView, Target } from '../../src/chat/chat.types.js';
import type { ServerFrame } from '../../src/ws/frames.js';
import { chatServiceOf, seedActor } from '../support/chat-service.js';
import { eventually, realtimeWorld, sleep, type RealtimeWorld } from './harness.js';

type Published = { audience: Audience; frame: ServerFrame };
type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

const GLOBAL: Target = { kind: 'global' };
const dm = (user: Actor): Target => ({ kind: 'direct', userId: user.userId });
const inGroup = (groupId: string): Target => ({ kind: 'group', groupId });

describe('ChatService', () => {
  let world: RealtimeWorld;
  let subscriber: Subscriber;
  let chat: ChatService;
  const published: Published[] = [];
  beforeAll(async () => {
    world = await realtimeWorld();
    const logger = createLogger('chat-service-test', 'silent');
    chat = chatServiceOf(world);
    subscriber = await Subscriber.connect({
      url: world.env.env.AMQP_URL ?? '',
      namespace: world.env.namespace,
      connectionName: 'chat-service-test',
      logger,
    });
    await subscriber.subscribe({ exchange: EXCHANGES.chat }, async (envelope) => {
      published.push(envelope.payload as Published);
    });
  });
  afterAll(async () => {
    await subscriber.close();
    await world.close();
  });

  const user = (role: Role = 'user') => seedActor(world, role);
  const send = (actor: Actor, target: Target, text = 'hello') => chat.send(actor, target, text, randomUUID());
  const sendMany = async (actor: Actor, target: Target, count: number) => {
    const sent: MessageView[] = [];
    for (let i = 1; i <= count; i++) sent.push((await send(actor, target, `message ${i}`)).message);
    return sent;
  };
  const matching = <T extends ServerFrame['type']>(type: T, where: Partial<FrameOf<T>> = {}) =>
    published.filter(
      (entry): entry is { audience: Audience; frame: FrameOf<T> } =>
        entry.frame.type === type &&
        Object.entries(where).every(
          ([key, value]) => (entry.frame as Record<string, unknown>)[key] === value,
        ),
    );
  /** The one announcement of this kind, after waiting for it and a little longer for any repeat. */
  const announcedOnce = async <T extends ServerFrame['type']>(type: T, where: Partial<FrameOf<T>>) => {
    await eventually(`a ${type} frame`, () => matching(type, where).length > 0, 5000);
    await sleep(200);
    const found = matching(type, where);
    expect(found).toHaveLength(1);
    return found[0] as { audience: Audience; frame: FrameOf<T> };
  };
  const userIds = (audience: Audience) => (audience.scope === 'users' ? [...audience.userIds].sort() : []);
  const ids = (...actors: Actor[]) => actors.map((actor) => actor.userId).sort();

  describe('send', () => {
    it('numbers messages from 1 in each conversation, independently of the others', async () => {
      const [a, b, c] = await Promise.all([user(), user(), user()]);
      const first = await chat.createGroup(a, 'first', [b.userId]);
      const second = await chat.createGroup(a, 'second', [c.userId]);
      const inFirst = await sendMany(a, inGroup(first.id), 2);
      const inSecond = await sendMany(c, inGroup(second.id), 1);
      expect(inFirst.map((message) => message.seq)).toEqual([1, 2]);
      expect(inSecond.map((message) => message.seq)).toEqual([1]);
      const [one, two] = await sendMany(b, GLOBAL, 2);
      expect(two?.seq).toBe((one?.seq ?? 0) + 1);
      expect(one).toMatchObject({ channel: 'global', conversationId: GLOBAL_CONVERSATION_ID });
    });

    it('returns the stored message for a repeated clientId and announces it once', async () => {
      const [a, b] = await Promise.all([user(), user()]);
      const first = await chat.send(a, dm(b), 'once', 'client-1');
      const again = await chat.send(a, dm(b), 'once', 'client-1');
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ message: first.message, duplicate: true });
      expect(first.message).toMatchObject({
        to: b.userId,
        from: a.userId,
        seq: 1,
        text: 'once',
        reactions: {},
      });
      const { audience, frame } = await announcedOnce('chat.message', { id: first.message.id });
      expect(frame).toEqual({ type: 'chat.message', ...first.message });
      expect(userIds(audience)).toEqual(ids(a, b));
      const racing = await Promise.all([1, 2, 3, 4].map(() => chat.send(a, GLOBAL, 'race', 'client-2')));
      expect(racing.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(new Set(racing.map((result) => result.message.id)).size).toBe(1);
    });

    it('gives 20 concurrent sends the seqs 1 to 20 without gaps', async () => {
      const [a, b] = await Promise.all([user(), user()]);
      const group = await chat.createGroup(a, 'busy', [b.userId]);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? a : b, inGroup(group.id), `n${i}`)),
      );
      const seqs = results.map((result) => result.message.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('escapes markup and refuses empty text', async () => {
      const a = await user();
      const { message } = await send(a, GLOBAL, '  <b>bold</b> & co ');
      expect(message.text).toBe('&lt;b&gt;bold&lt;/b&gt; &amp; co');
      await expect(send(a, GLOBAL, ' \u0000 ')).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });

  describe('visibility', () => {
    it('keeps a direct conversation to its two users', async () => {
      const [a, b, c] = await Promise.all([user(), user(), user()]);
      const { message } = await send(a, dm(b), 'secret');
      const byId: Target = { kind: 'conversation', conversationId: message.conversationId };
      await expect(chat.history(c, byId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(chat.markRead(c, message.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(chat.react(c, message.id, '👍', true)).rejects.toMatchObject({ code: 'not_found' });
      const page = await chat.history(b, dm(a));
      expect(page.messages.map((m) => m.text)).toEqual(['secret']);
      expect((await chat.history(a, byId)).conversationId).toBe(message.conversationId);
      await expect(send(a, dm(a))).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(chat.resolve(a, { kind: 'direct', userId: 'nope' })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(chat.markRead(a, 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lets no one outside a group send to it or read it', async () => {
      const [a, b, outsider] = await Promise.all([user(), user(), user()]);
      const group = await chat.createGroup(a, 'club', [b.userId]);
      await send(b, inGroup(group.id));
      await expect(send(outsider, inGroup(group.id))).rejects.toMatchObject({ code: 'not_found' });
      await expect(chat.history(outsider, inGroup(group.id))).rejects.toMatchObject({ code: 'not_found' });
      await expect(chat.group(outsider, group.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('announces a group message to the members as of when it was stored, not as of when it was sent', async () => {
      const [a, b, c] = await Promise.all([user(), user(), user()]);
      const group = await chat.createGroup(a, 'shrinking', [b.userId, c.userId]);
      // A connection of its own holds the group's row lock, so the removal and the send queue up on it.
      const locker = await createOrm({ url: world.env.env.DATABASE_URL ?? '', poolMax: 1 });
      try {
        const trx = await locker.em.getKnex().transaction();
        await trx.raw('select id from conversations where id = ? for update', [group.id]);
        const removal = chat.removeMember(a, group.id, c.userId);
        await sleep(200);
        // Resolved while c is still a member; stored after c's removal commits.
        const sending = send(b, inGroup(group.id), 'after c was removed');
        await sleep(200);
        await trx.commit();
        await removal;
        const { message } = await sending;
        const { audience } = await announcedOnce('chat.message', { id: message.id });
        expect(userIds(audience)).toEqual(ids(a, b));
      } finally {
        await locker.close(true);
      }
    });

    it('announces typing as ephemeral to the two users of a direct conversation', async () => {
      const [a, b] = await Promise.all([user(), user()]);
      await chat.typing(a, dm(b), true);
      const { audience, frame } = await announcedOnce('typing', { from: a.userId });
      expect(frame).toMatchObject({ to: b.userId, on: true });
      expect(userIds(audience)).toEqual(ids(a, b));
    });
  });

  describe('groups', () => {
    it('lets only an owner add members, once each, up to the limit', async () => {
      const [a, b, c, d, e, outsider] = await Promise.all([user(), user(), user(), user(), user(), user()]);
      const group = await chat.createGroup(a, '  Team  ', [b.userId, b.userId]);
      expect(group.name).toBe('Team');
      expect(group.members.map((member) => [member.userId, member.role])).toEqual([
        [a.userId, 'owner'],
        [b.userId, 'member'],
      ]);
      await expect(chat.addMember(b, group.id, c.userId)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(chat.addMember(outsider, group.id, c.userId)).rejects.toMatchObject({ code: 'not_found' });
      const added = await chat.addMember(a, group.id, c.userId);
      expect(added).toMatchObject({ userId: c.userId, role: 'member' });
      const joined = await announcedOnce('chat.member', { userId: c.userId, event: 'joined' });
      expect(joined.frame).toMatchObject({ channel: group.id, by: a.userId });
      expect(userIds(joined.audience)).toEqual(ids(a, b, c));
      await expect(chat.addMember(a, group.id, c.userId)).rejects.toMatchObject({ code: 'conflict' });
      await chat.addMember(a, group.id, d.userId);
      await expect(chat.addMember(a, group.id, e.userId)).rejects.toMatchObject({ code: 'group_full' });
      await expect(chat.addMember(a, group.id, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    });

    it('keeps an owner: the last one cannot step down, and leaving promotes the longest-standing member', async () => {
      const [a, b, c] = await Promise.all([user(), user(), user()]);
      const group = await chat.createGroup(a, 'keepers', [b.userId]);
      await chat.addMember(a, group.id, c.userId);
      await expect(chat.setRole(a, group.id, a.userId, 'member')).rejects.toMatchObject({
        code: 'last_owner',
      });
      await expect(chat.removeMember(b, group.id, c.userId)).rejects.toMatchObject({ code: 'forbidden' });
      await chat.removeMember(a, group.id, a.userId);
      const left = await announcedOnce('chat.member', { conversationId: group.id, event: 'left' });
      expect(userIds(left.audience)).toEqual(ids(a, b, c));
      const promoted = await announcedOnce('chat.member', {
        conversationId: group.id,
        event: 'role_changed',
      });
      expect(promoted.frame).toMatchObject({ userId: b.userId, role: 'owner' });
      await expect(chat.group(a, group.id)).rejects.toMatchObject({ code: 'not_found' });
      await chat.setRole(b, group.id, c.userId, 'owner');
      await expect(chat.removeMember(b, group.id, c.userId)).rejects.toMatchObject({ code: 'forbidden' });
      await chat.setRole(b, group.id, b.userId, 'member');
      await chat.removeMember(c, group.id, b.userId);
      const view = await chat.group(c, group.id);
      expect(view.members.map((member) => [member.userId, member.role])).toEqual([[c.userId, 'owner']]);
    });
  });

  describe('edit, delete and react', () => {
    it('lets only the author edit, and an admin delete any message', async () => {
      const [a, b, admin] = await Promise.all([user(), user(), user('admin')]);
      const { message } = await send(a, dm(b), 'first draft');
      await expect(chat.edit(b, message.id, 'mine now')).rejects.toMatchObject({ code: 'forbidden' });
      await expect(chat.remove(b, message.id)).rejects.toMatchObject({ code: 'forbidden' });
      const edited = await chat.edit(a, message.id, 'final');
      expect(edited).toMatchObject({ text: 'final', editedAt: expect.any(String) });
      await announcedOnce('message.edited', { id: message.id, text: 'final' });
      const removed = await chat.remove(admin, message.id);
      expect(removed).toMatchObject({ deleted: true, text: '', seq: message.seq });
      const { audience } = await announcedOnce('message.deleted', {
        id: message.id,
        deletedBy: admin.userId,
      });
      expect(userIds(audience)).toEqual(ids(a, b));
      await expect(chat.remove(a, message.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(chat.edit(a, message.id, 'again')).rejects.toMatchObject({ code: 'not_found' });
      const page = await chat.history(b, dm(a));
      expect(page.messages).toEqual([expect.objectContaining({ id: message.id, deleted: true, text: '' })]);
    });

    it('counts reactions per emoji and announces only changes', async () => {
      const [a, b] = await Promise.all([user(), user()]);
      const { message } = await send(a, dm(b));
      expect(await chat.react(a, message.id, '👍', true)).toEqual({ changed: true, count: 1 });
      expect(await chat.react(b, message.id, '👍', true)).toEqual({ changed: true, count: 2 });
      expect(await chat.react(a, message.id, '👍', true)).toEqual({ changed: false, count: 2 });
      expect(await chat.react(a, message.id, '👍', false)).toEqual({ changed: true, count: 1 });
      expect(await chat.react(a, message.id, '👍', false)).toEqual({ changed: false, count: 1 });
      await expect(chat.react(a, message.id, 'ok', true)).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await announcedOnce('reaction', { id: message.id, userId: b.userId, count: 2 });
      await sleep(100);
      expect(matching('reaction', { id: message.id })).toHaveLength(3);
      const emoji = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊'];
      for (const each of emoji) await chat.react(a, message.id, each, true);
      await expect(chat.react(a, message.id, '😋', true)).rejects.toMatchObject({
        code: 'validation_failed',
      });
      const [seen] = (await chat.history(b, dm(a))).messages;
      expect(seen?.reactions).toMatchObject({ '👍': 1, '😀': 1 });
      expect(Object.keys(seen?.reactions ?? {})).toHaveLength(11);
    });
  });

  describe('receipts', () => {
    it('advances the read pointer once and announces a read receipt', async () => {
      const [a, b] = await Promise.all([user(), user()]);
      const { message } = await send(a, dm(b));
      expect(await chat.markRead(b, message.id)).toEqual({ advanced: true });
      expect(await chat.markRead(b, message.id)).toEqual({ advanced: false });
      const { audience, frame } = await announcedOnce('receipt', { id: message.id, status: 'read' });
      expect(frame).toMatchObject({ userId: b.userId, seq: message.seq });
      expect(userIds(audience)).toEqual(ids(a, b));
      const global = await send(a, GLOBAL);
      expect(await chat.markRead(b, global.message.id)).toEqual({ advanced: true });
      await sleep(100);
      expect(matching('receipt', { id: global.message.id })).toHaveLength(0);
    });

    it('records the deliveries of a message in one go, once, and tells its author only', async () => {
      const [a, b, c] = await Promise.all([user(), user(), user()]);
      const group = await chat.createGroup(a, 'receipts', [b.userId, c.userId]);
      const { message } = await send(a, inGroup(group.id));
      const ref = {
        id: message.id,
        conversationId: message.conversationId,
        seq: message.seq,
        from: a.userId,
      };
      // Three instances reached everyone (the author's own tabs included) and report at once.
      const reached = ids(a, b, c);
      const reports = await Promise.all([1, 2, 3].map(() => chat.markDelivered(reached, ref)));
      expect(reports.flat().sort()).toEqual(ids(b, c));
      expect(await chat.markDelivered(reached, ref)).toEqual([]);
      for (const reader of [b, c]) {
        const where = { id: message.id, status: 'delivered', userId: reader.userId } as const;
        expect(userIds((await announcedOnce('receipt', where)).audience)).toEqual([a.userId]);
      }
      const global = await send(a, GLOBAL);
      const globalRef = { ...ref, id: global.message.id, conversationId: GLOBAL_CONVERSATION_ID };
      expect(await chat.markDelivered([b.userId], { ...globalRef, seq: global.message.seq })).toEqual([]);
    });
  });

  describe('reading', () => {
    it('pages history backwards with before and hasMore', async () => {
      const [a, b] = await Promise.all([user(), user()]);
      const group = await chat.createGroup(a, 'pages', [b.userId]);
      await sendMany(a, inGroup(group.id), 7);
      const seqs = (page: { messages: MessageView[] }) => page.messages.map((message) => message.seq);
      const newest = await chat.history(b, inGroup(group.id), { limit: 3 });
      expect([seqs(newest), newest.hasMore]).toEqual([[5, 6, 7], true]);
      const older = await chat.history(b, inGroup(group.id), { before: 5, limit: 3 });
      expect([seqs(older), older.hasMore]).toEqual([[2, 3, 4], true]);
      const oldest = await chat.history(b, inGroup(group.id), { before: 2, limit: 3 });
      expect([seqs(oldest), oldest.hasMore]).toEqual([[1], false]);
      expect(seqs(await chat.history(b, inGroup(group.id), { limit: 0 }))).toEqual([7]);
      const all = await chat.history(b, inGroup(group.id), { limit: 500 });
      expect([seqs(all), all.hasMore]).toEqual([[1, 2, 3, 4, 5, 6, 7], false]);
      const missed = await chat.since(b, { kind: 'conversation', conversationId: group.id }, 4);
      expect([seqs(missed), missed.hasMore]).toEqual([[5, 6, 7], false]);
      expect(seqs(await chat.since(b, inGroup(group.id), 7))).toEqual([]);
    });

    it('summarises conversations with unread counts and last messages, global first', async () => {
      await send(await user(), GLOBAL, 'before the newcomer');
      const [a, fresh, c] = await Promise.all([user(), user(), user()]);
      const [global] = await chat.snapshot(fresh);
      expect(global).toMatchObject({
        kind: 'global',
        channel: 'global',
        name: 'global',
        role: null,
        unread: 0,
      });
      expect(global?.lastReadSeq).toBe(global?.lastSeq);
      const group = await chat.createGroup(c, 'later', [fresh.userId]);
      await sendMany(a, dm(fresh), 2);
      await send(fresh, dm(a), 'my reply');
      await send(a, dm(fresh), 'newest');
      let summaries = await chat.snapshot(fresh);
      expect(summaries.map((summary) => summary.kind)).toEqual(['global', 'direct', 'group']);
      const direct = summaries[1];
      expect(direct).toMatchObject({ with: a.userId, name: null, role: null, lastSeq: 4, unread: 1 });
      expect(direct?.lastMessage).toMatchObject({ seq: 4, text: 'newest', from: a.userId, to: fresh.userId });
      expect(summaries[2]).toMatchObject({ id: group.id, channel: group.id, name: 'later', role: 'member' });
      await send(c, inGroup(group.id), 'latest of all');
      summaries = await chat.snapshot(fresh);
      expect(summaries.map((summary) => [summary.kind, summary.unread])).toEqual([
        ['global', 0],
        ['group', 1],
        ['direct', 1],
      ]);
      await chat.markRead(fresh, direct?.lastMessage?.id ?? '');
      expect((await chat.snapshot(fresh))[2]).toMatchObject({ unread: 0, lastReadSeq: 4 });
    });

    it("finds messages only in the caller's conversations, and never deleted ones", async () => {
      const [a, b, c] = await Promise.all([user(), user(), user()]);
      const word = `kw${randomUUID().replace(/-/g, '')}`;
      const direct = await send(a, dm(b), `the ${word} is private`);
      const open = await send(c, GLOBAL, `the ${word} is public`);
      const gone = await send(c, GLOBAL, `the ${word} was here`);
      await chat.remove(c, gone.message.id);
      const found = (actor: Actor) =>
        chat.search(actor, ` ${word} `).then((hits) => hits.map((hit) => hit.id));
      expect(await found(b)).toEqual([open.message.id, direct.message.id]);
      expect(await found(c)).toEqual([open.message.id]);
      expect(await chat.search(a, word, 1)).toHaveLength(1);
      // Text is stored escaped for display (`<` as `&lt;`); the entities are not words of the message.
      const markup = await send(a, dm(b), `<${word}x> & co`);
      expect((await chat.search(b, `${word}x`)).map((hit) => hit.id)).toEqual([markup.message.id]);
      expect(await chat.search(b, `${word}x lt`)).toEqual([]);
      await expect(chat.search(a, '   ')).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(chat.search(a, 'x'.repeat(201))).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
});
