import { mediaUrlSignerOf } from '@platform/config';
import { mount, type HttpApp } from '@platform/http';
import { AdminService } from '@platform/proto';
import { createServiceApp, type GrpcRoutes, type ServiceResources } from '@platform/runtime';
import type { AdminConfig } from './config.js';
import { adminGrpcRoutes } from './grpc/admin.grpc.js';
import { activityRoutes } from './routes/activity.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import { auditLogRoutes } from './routes/audit-logs.routes.js';
import { userRoutes } from './routes/users.routes.js';
import { AccountAdminService } from './services/account-admin.service.js';
import { ActivityService } from './services/activity.service.js';
import { AuditLogService } from './services/audit-log.service.js';
import { AuditedDirectory } from './services/audited-directory.js';
import { DirectoryService } from './services/directory.service.js';

export interface AdminDeps extends ServiceResources {
  config: AdminConfig;
}

/** The admin service: summary, user directory and administration, audit log. Never listens itself. */
export function createApp(deps: AdminDeps): HttpApp {
  const app = createServiceApp(deps, deps.config);
  const { orm, redis, events, denylist, config } = deps;
  const directory = new AuditedDirectory(
    new DirectoryService(orm.em, redis, mediaUrlSignerOf(deps.config)),
    events,
    orm.em,
  );
  const accounts = new AccountAdminService(orm.em, redis, events, denylist, {
    publicWebUrl: config.PUBLIC_WEB_URL,
    inviteTtlSeconds: config.INVITE_TTL_SECONDS,
  });
  mount(
    app,
    adminRoutes({ directory }),
    userRoutes({ directory, accounts, mediaUrls: mediaUrlSignerOf(config) }),
    auditLogRoutes({ auditLogs: new AuditLogService(orm.em) }),
    activityRoutes({ activity: new ActivityService(orm.em, redis) }),
  );
  return app;
}

/** What admin serves over gRPC to the other services (AdminService). Never listens itself. */
export function createGrpcRoutes(deps: AdminDeps): GrpcRoutes {
  const { orm, redis, events } = deps;
  return {
    services: [AdminService.typeName],
    register: adminGrpcRoutes({
      directory: new AuditedDirectory(
        new DirectoryService(orm.em, redis, mediaUrlSignerOf(deps.config)),
        events,
        orm.em,
      ),
      auditLogs: new AuditLogService(orm.em),
    }),
  };
}
