import { byOperationId, USERS_ROUTES } from '@platform/contracts';
import { authenticatedRouter, handle, type AuthState, type Router } from '@platform/http';
import type { UserDirectoryService } from '../services/user-directory.service.js';

const api = byOperationId(USERS_ROUTES);

/** Other users' names and avatars, for clients that show them beside messages. */
export function peopleRoutes({ directory }: { directory: UserDirectoryService }): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.listPeople, async (ctx, { query }) => {
    const cards = await directory.cards(ctx.state.user, query.ids);
    ctx.body = {
      people: cards.map(({ id, displayName, avatarUrl }) => ({ id, displayName, avatarUrl })),
    };
  });

  return router;
}
