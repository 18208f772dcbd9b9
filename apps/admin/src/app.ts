import { RequestContext } from '@platform/db';
import { createHttpApp, mount, type HttpApp } from '@platform/http';
import type { ServiceResources } from '@platform/runtime';
import type { AdminConfig } from './config.js';
import { adminRoutes } from './routes/admin.routes.js';
import { DirectoryService } from './services/directory.service.js';

export interface AdminDeps extends ServiceResources {
  config: AdminConfig;
}

/** The admin service: summary and user directory. Never listens itself. */
export function createApp(deps: AdminDeps): HttpApp {
  const { config } = deps;
  const app = createHttpApp({
    ...deps,
    service: 'admin',
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    bodyLimit: config.BODY_LIMIT,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    around: [(_ctx, next) => RequestContext.create(deps.orm.em, next)],
  });
  mount(app, adminRoutes(new DirectoryService(deps.orm.em, deps.redis)));
  return app;
}
