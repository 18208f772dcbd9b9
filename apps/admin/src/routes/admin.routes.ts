import type { EntityManager } from '@platform/db';
import { auditRecord, authenticatedRouter, requirePermission } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { DirectoryService } from '../services/directory.service.js';
import { listUsersQuery } from './schemas.js';

/** Administration. The summary is for admins; managers may also read the directory. Every call is audited. */
export function adminRoutes(directory: DirectoryService, events: EventSink, em: EntityManager) {
  const router = authenticatedRouter();

  router.get('/admin', requirePermission('admin:summary'), async (ctx) => {
    ctx.body = await directory.summary();
    await events.record(em, 'log.audit', auditRecord('admin', ctx, { action: 'admin.summary.read' }));
  });

  router.get('/admin/users', requirePermission('users:read'), async (ctx) => {
    const query = listUsersQuery.parse(ctx.query);
    ctx.body = await directory.list(query);
    await events.record(
      em,
      'log.audit',
      auditRecord('admin', ctx, { action: 'users.list', after: { ...query } }),
    );
  });

  return router;
}
