import type { EventSink } from '@platform/contracts';
import { auditRecord, authenticatedRouter, requirePermission } from '@platform/http';
import type { DirectoryService } from '../services/directory.service.js';
import { listUsersQuery } from './schemas.js';

/** Administration. The summary is for admins; managers may also read the directory. Every call is audited. */
export function adminRoutes(directory: DirectoryService, events: EventSink) {
  const router = authenticatedRouter();

  router.get('/admin', requirePermission('admin:summary'), async (ctx) => {
    ctx.body = await directory.summary();
    events.emit('log.audit', auditRecord('admin', ctx, { action: 'admin.summary.read' }));
  });

  router.get('/admin/users', requirePermission('users:read'), async (ctx) => {
    const query = listUsersQuery.parse(ctx.query);
    ctx.body = await directory.list(query);
    events.emit('log.audit', auditRecord('admin', ctx, { action: 'users.list', after: { ...query } }));
  });

  return router;
}
