import { authenticatedRouter, requirePermission } from '@platform/http';
import type { DirectoryService } from '../services/directory.service.js';
import { listUsersQuery } from './schemas.js';

/** Administration. The summary is for admins; managers may also read the directory. */
export function adminRoutes(directory: DirectoryService) {
  const router = authenticatedRouter();

  router.get('/admin', requirePermission('admin:summary'), async (ctx) => {
    ctx.body = await directory.summary();
  });

  router.get('/admin/users', requirePermission('users:read'), async (ctx) => {
    ctx.body = await directory.list(listUsersQuery.parse(ctx.query));
  });

  return router;
}
