import { randomUUID } from 'node:crypto';
import { createLogger } from '@platform/observability';
import { seedUser } from '@platform/testkit';
import { ChatFanout } from '../../src/chat/chat-fanout.js';
import { ChatService } from '../../src/chat/chat.service.js';
import type { Actor, Target } from '../../src/chat/chat.types.js';
import { testModeration } from '../support/moderation.js';
import { realtimeWorld, testMediaUrls, type RealtimeWorld } from './harness.js';

// Counts are the same for everyone; which reactions are one's own is said per reader, after any cache.

describe("a reader's own reactions", () => {
  let world: RealtimeWorld;
  let chat: ChatService;

  beforeAll(async () => {
    world = await realtimeWorld();
    const logger = createLogger('my-reactions-test', 'silent');
    chat = new ChatService(
      world.orm,
      new ChatFanout(world.bus, logger),
      { maxTextLength: 200, maxGroupMembers: 4, mediaUrls: testMediaUrls },
      testModeration().moderation,
      world.userDirectory(),
    );
  });
  afterAll(() => world.close());

  const user = async (): Promise<Actor> => {
    const seeded = await seedUser({ orm: world.orm, tokens: world.tokens });
    return { userId: seeded.id, role: seeded.role };
  };
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
