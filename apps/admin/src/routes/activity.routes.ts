import { ADMIN_ROUTES, byOperationId } from '@platform/contracts';
import { authenticatedRouter, handle, type AuthState, type Router } from '@platform/http';
import type { ActivityService } from '../services/activity.service.js';

export interface ActivityRoutesDeps {
  activity: ActivityService;
}

const api = byOperationId(ADMIN_ROUTES);

/** The console's live numbers: the online count and sign-ins over time, for admins. */
export function activityRoutes({ activity }: ActivityRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  // Neither is audited: the console polls the count, and both are aggregates that name nobody; the
  // request log (written by the kit for every call) still says who looked.
  handle(router, api.getOnlineCount, async (ctx) => {
    ctx.body = await activity.onlineCount();
  });

  handle(router, api.getSignInActivity, async (ctx, { query }) => {
    ctx.body = await activity.signIns(query);
  });

  return router;
}
