import { auditLogQuery } from '@platform/contracts';
import { authenticatedRouter, requirePermission } from '@platform/http';
import type { AuditLogService } from '../services/audit-log.service.js';

/** The stored request and audit logs, for admins (audit:read). */
export function auditLogRoutes(auditLogs: AuditLogService) {
  const router = authenticatedRouter();

  // Not audited itself, unlike the directory reads: every look at the log would add rows to the
  // log being read, and the request log (written by the kit for every call) already says who looked.
  router.get('/admin/audit-logs', requirePermission('audit:read'), async (ctx) => {
    ctx.body = await auditLogs.search(auditLogQuery.parse(ctx.query));
  });

  return router;
}
