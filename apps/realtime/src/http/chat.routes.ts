import type { TemplatedApp } from 'uWebSockets.js';
import { historyQuery, searchQuery } from '@platform/contracts';
import type { ChatService } from '../chat/chat.service.js';
import { conversationTarget } from '../chat/ids.js';
import { authenticated, type AuthenticatedDeps } from './authenticated.js';
import { registerChatGroupRoutes } from './chat-groups.routes.js';
import { actorOf, queryObject } from './chat.schemas.js';
import { registerModerationRoutes } from './moderation.routes.js';
import { writeJson } from './respond.js';

export interface ChatRouteDeps extends AuthenticatedDeps {
  chat: ChatService;
}

/**
 * The chat REST surface, beside the socket frames: GET /chat/conversations, GET
 * /chat/conversations/:id/messages (history pages), GET /chat/search, and the group routes
 * (`chat-groups.routes.ts`). Conversations the caller is not in answer 404, like missing ones.
 */
export function registerChatRoutes(app: TemplatedApp, deps: ChatRouteDeps): void {
  app.get(
    '/chat/conversations',
    authenticated(deps, {}, async (claims, tracked) => {
      const items = await deps.chat.snapshot(actorOf(claims));
      writeJson(tracked, 200, { items });
    }),
  );

  app.get(
    '/chat/conversations/:id/messages',
    authenticated(deps, { params: 1 }, async (claims, tracked, { params: [id], query }) => {
      const target = conversationTarget(id);
      const page = historyQuery.parse(queryObject(query));
      const result = await deps.chat.history(actorOf(claims), target, page);
      // Oldest first, so the first message is where the next (older) page ends.
      const oldest = result.messages[0];
      writeJson(tracked, 200, {
        conversationId: result.conversationId,
        messages: result.messages,
        hasMore: result.hasMore,
        nextBefore: result.hasMore && oldest ? oldest.seq : null,
      });
    }),
  );

  app.get(
    '/chat/search',
    authenticated(deps, {}, async (claims, tracked, { query }) => {
      const { q, limit } = searchQuery.parse(queryObject(query));
      const items = await deps.chat.search(actorOf(claims), q, limit);
      writeJson(tracked, 200, { items });
    }),
  );

  registerChatGroupRoutes(app, deps);
  registerModerationRoutes(app, deps);
}
