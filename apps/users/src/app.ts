import { RequestContext } from '@platform/db';
import { createHttpApp, mount, type HttpApp } from '@platform/http';
import type { ServiceResources } from '@platform/runtime';
import type { UsersConfig } from './config.js';
import { profileRoutes } from './routes/profile.routes.js';
import { ProfilesService } from './services/profiles.service.js';

export interface UsersDeps extends ServiceResources {
  config: UsersConfig;
}

/** The users service: profiles and the caller's data. Never listens itself. */
export function createApp(deps: UsersDeps): HttpApp {
  const { config } = deps;
  const app = createHttpApp({
    ...deps,
    service: 'users',
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    bodyLimit: config.BODY_LIMIT,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    around: [(_ctx, next) => RequestContext.create(deps.orm.em, next)],
  });
  mount(app, profileRoutes(new ProfilesService(deps.orm.em, deps.events)));
  return app;
}
