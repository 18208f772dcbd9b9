import { ADMIN_ROUTES, byOperationId } from '@platform/contracts';
import { authenticatedRouter, handle, type AuthState, type Router } from '@platform/http';
import type { AuditLogService } from '../services/audit-log.service.js';

export interface AuditLogRoutesDeps {
  auditLogs: AuditLogService;
}

const api = byOperationId(ADMIN_ROUTES);

/** The stored request and audit logs, for admins (audit:read). */
export function auditLogRoutes({ auditLogs }: AuditLogRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  // Not audited itself, unlike the directory reads: every look at the log would add rows to the
  // log being read, and the request log (written by the kit for every call) already says who looked.
  handle(router, api.searchAuditLogs, async (ctx, { query }) => {
    ctx.body = await auditLogs.search(query);
  });

  return router;
}
