import { mount, type HttpApp } from '@platform/http';
import { createServiceApp, type ServiceResources } from '@platform/runtime';
import type { AdminConfig } from './config.js';
import { adminRoutes } from './routes/admin.routes.js';
import { DirectoryService } from './services/directory.service.js';

export interface AdminDeps extends ServiceResources {
  config: AdminConfig;
}

/** The admin service: summary and user directory. Never listens itself. */
export function createApp(deps: AdminDeps): HttpApp {
  const app = createServiceApp(deps, deps.config);
  mount(app, adminRoutes(new DirectoryService(deps.orm.em, deps.redis), deps.events, deps.orm.em));
  return app;
}
