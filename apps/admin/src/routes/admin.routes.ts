import type { EntityManager } from '@platform/db';
import { auditContext, auditEntry, authenticatedRouter, requirePermission } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { DirectoryService } from '../services/directory.service.js';

/** The admin summary, for admins only. Audited like every directory read. */
export function adminRoutes(directory: DirectoryService, events: EventSink, em: EntityManager) {
  const router = authenticatedRouter();

  router.get('/admin', requirePermission('admin:summary'), async (ctx) => {
    ctx.body = await directory.summary();
    await events.record(
      em,
      'log.audit',
      auditEntry(auditContext('admin', ctx), { action: 'admin.summary.read' }),
    );
  });

  return router;
}
