import { byOperationId, USERS_ROUTES } from '@platform/contracts';
import { auditRecord, authenticatedRouter, handle, type AuthState, type Router } from '@platform/http';
import type { ProfilesService } from '../services/profiles.service.js';

export interface ProfileRoutesDeps {
  profiles: ProfilesService;
}

const api = byOperationId(USERS_ROUTES);

/** The caller's own profile and data; each route's permission comes from its contract. */
export function profileRoutes({ profiles }: ProfileRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.getProfile, async (ctx) => {
    ctx.body = await profiles.get(ctx.state.user.sub);
  });

  handle(router, api.updateProfile, async (ctx, { body }) => {
    ctx.body = await profiles.update(ctx.state.user, body, (fields) => auditRecord('users', ctx, fields));
  });

  handle(router, api.exportUserData, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await profiles.export(ctx.state.user.sub);
  });

  return router;
}
