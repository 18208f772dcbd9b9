import { randomUUID } from 'node:crypto';
import type { ChatService } from '../../src/chat/chat.service.js';
import type { Actor, Target } from '../../src/chat/chat.types.js';
import { chatServiceOf, seedActor } from '../support/chat-service.js';
import { realtimeWorld, type RealtimeWorld } from './harness.js';

// Counts are the same for everyone; which reactions are one's own is said per reader, after any cache.

describe("a reader's own reactions", () => {
  let world: RealtimeWorld;
  let chat: ChatService;

  beforeAll(async () => {
    world = await realtimeWorld();
    chat = chatServiceOf(world);
  });
  afterAll(() => world.close());

  const user = () => seedActor(world);
  const dm = (other: Actor): Target => ({ kind: 'direct', userId: other.userId });
  const send = (actor: Actor, target: Target, text: string) => chat.send(actor, target, text, randomUUID());

  it('tells each reader which reactions are their own, in history, sync, search and the snapshot', async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const word = `marked${randomUUID().replace(/-/g, '')}`;
    const { message } = await send(a, dm(b), word);
    await chat.react(a, message.id, '👍', true);
    await chat.react(b, message.id, '👍', true);
    await chat.react(b, message.id, '🎉', true);
    const views = async (actor: Actor) => [
      (await chat.history(actor, dm(actor === a ? b : a))).messages[0],
      (await chat.since(actor, { kind: 'conversation', conversationId: message.conversationId }, 0))
        .messages[0],
      (await chat.search(actor, word))[0],
      (await chat.snapshot(actor)).find((line) => line.id === message.conversationId)?.lastMessage,
    ];
    for (const view of await views(a)) expect(view?.myReactions).toEqual(['👍']);
    for (const view of await views(b))
      expect([...(view?.myReactions ?? [])].sort()).toEqual(['🎉', '👍'].sort());
    await chat.react(a, message.id, '👍', false);
    for (const view of await views(a)) {
      expect(view).toMatchObject({ reactions: { '👍': 1, '🎉': 1 } });
      expect(view?.myReactions).toEqual([]);
    }
  });
});
