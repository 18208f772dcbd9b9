import { ADMIN_ROUTES, byOperationId } from '@platform/contracts';
import { authenticatedRouter, handle, type AuthState, type Router } from '@platform/http';
import type { AuditedDirectory } from '../services/audited-directory.js';
import { auditOf } from './audit.js';

export interface AdminRoutesDeps {
  directory: AuditedDirectory;
}

const api = byOperationId(ADMIN_ROUTES);

/** The admin summary, for admins only. Audited like every directory read. */
export function adminRoutes({ directory }: AdminRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.getAdminSummary, async (ctx) => {
    ctx.body = await directory.summary(auditOf(ctx));
  });

  return router;
}
