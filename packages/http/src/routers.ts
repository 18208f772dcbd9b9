import Router from '@koa/router';
import type { Middleware } from 'koa';
import { requireAuth } from './auth.js';
import type { HttpApp } from './create-app.js';
import { AppError } from './errors.js';
import type { AuthState, BaseState } from './state.js';

/** A router for anyone. */
export function publicRouter(): Router<BaseState> {
  return new Router<BaseState>();
}

/** A router whose every route needs a signed-in caller; `guards` (role, permission) run after that. */
export function authenticatedRouter(...guards: Middleware<AuthState>[]): Router<AuthState> {
  const router = new Router<AuthState>();
  router.use(requireAuth(), ...guards);
  return router;
}

/**
 * Mounts routers in order, with 405 + Allow for known paths called with the wrong method. The router
 * only sets Allow when it does not throw, so it answers quietly and this turns that into a problem.
 */
export function mount(app: HttpApp, ...routers: (Router<BaseState> | Router<AuthState>)[]): void {
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 405 && ctx.body == null) {
      const allow = String(ctx.response.get('Allow'));
      throw new AppError('method_not_allowed', `Use one of: ${allow}.`, { headers: { Allow: allow } });
    }
  });
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
}

/**
 * Every route the app's routers answer, as `METHOD /path` (HEAD, implied by GET, left out), in mount
 * order. For tests that hold a service to its route contracts, so the documented API cannot drift.
 */
export function registeredRoutes(app: HttpApp): string[] {
  return app.middleware.flatMap((middleware) => {
    // Router#routes() hands back its dispatch function with the router attached as `router`.
    const router: unknown = 'router' in middleware ? middleware.router : undefined;
    if (!(router instanceof Router)) return [];
    return router.stack.flatMap((layer) =>
      layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path)}`),
    );
  });
}
