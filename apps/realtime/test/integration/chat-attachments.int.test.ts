import { randomUUID } from 'node:crypto';
import { Media } from '@platform/db';
import { seedMedia } from '@platform/testkit';
import type { ChatService } from '../../src/chat/chat.service.js';
import type { Actor, Target } from '../../src/chat/chat.types.js';
import { chatServiceOf, seedActor } from '../support/chat-service.js';
import { realtimeWorld, type RealtimeWorld } from './harness.js';

const dm = (user: Actor): Target => ({ kind: 'direct', userId: user.userId });

describe('chat attachments', () => {
  let world: RealtimeWorld;
  let chat: ChatService;

  beforeAll(async () => {
    world = await realtimeWorld();
    chat = chatServiceOf(world);
  });
  afterAll(() => world.close());

  const user = () => seedActor(world);

  it("carries the sender's own uploads as attachments, shown in the message, history and search", async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const upload = (owner: Actor, status: 'processing' | 'failed' = 'processing') =>
      seedMedia(world, owner.userId, {
        kind: 'file',
        name: 'notes.txt',
        mime: 'text/plain',
        size: 5,
        sha256: 'c'.repeat(64),
        status,
      });
    const [mine, theirs, failed] = await Promise.all([upload(a), upload(b), upload(a, 'failed')]);
    const { message } = await chat.send(a, dm(b), '', randomUUID(), [mine]);
    expect(message.text).toBe('');
    expect(message.attachments?.map((f) => [f.id, f.name, f.url])).toEqual([
      [
        mine,
        'notes.txt',
        expect.stringMatching(new RegExp(`^/media/${mine}/content\\?exp=\\d+&sig=[\\w-]+$`)),
      ],
    ]);
    await chat.send(a, dm(b), 'the minutes', randomUUID(), [mine]);
    const found = await chat.search(b, 'minutes');
    expect(found.map((m) => m.attachments?.map((f) => f.id))).toEqual([[mine]]);
    const page = await chat.history(b, dm(a));
    expect(page.messages.at(-1)?.attachments?.map((f) => f.id)).toEqual([mine]);
    const stored = await world.orm.em.fork().findOneOrFail(Media, { id: mine });
    expect(stored.attachedAt).not.toBeNull();
    for (const ids of [[theirs], [failed], [mine, theirs]]) {
      await expect(chat.send(a, dm(b), 'x', randomUUID(), ids)).rejects.toMatchObject({
        code: 'validation_failed',
      });
    }
    expect((await chat.history(b, dm(a))).messages).toHaveLength(2);
  });
});
