import type { Role } from '@platform/contracts';
import { createLogger } from '@platform/observability';
import { seedUser } from '@platform/testkit';
import { ChatFanout } from '../../src/chat/chat-fanout.js';
import { ChatService } from '../../src/chat/chat.service.js';
import type { Actor } from '../../src/chat/chat.types.js';
import { testMediaUrls, type RealtimeWorld } from '../integration/harness.js';
import { testModeration } from './moderation.js';

/** The chat service as realtime composes it, on a test world's pool, broker and users, without the socket tier. */
export function chatServiceOf(
  world: RealtimeWorld,
  limits: { maxTextLength: number; maxGroupMembers: number } = { maxTextLength: 200, maxGroupMembers: 4 },
): ChatService {
  return new ChatService(
    world.orm,
    new ChatFanout(world.bus, createLogger('chat-test', 'silent')),
    { ...limits, mediaUrls: testMediaUrls },
    testModeration().moderation,
    world.userDirectory(),
  );
}

/** A seeded account, as the chat service sees its caller. */
export async function seedActor(world: RealtimeWorld, role: Role = 'user'): Promise<Actor> {
  const seeded = await seedUser({ orm: world.orm, tokens: world.tokens }, { role });
  return { userId: seeded.id, role: seeded.role };
}
