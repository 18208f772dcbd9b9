import { profilePatch } from '@platform/contracts';
import { auditRecord, authenticatedRouter, requirePermission } from '@platform/http';
import type { ProfilesService } from '../services/profiles.service.js';

/** The caller's own profile. */
export function profileRoutes(profiles: ProfilesService) {
  const router = authenticatedRouter();

  router.get('/profile', requirePermission('profile:read'), async (ctx) => {
    ctx.body = await profiles.get(ctx.state.user.sub);
  });

  router.patch('/profile', requirePermission('profile:write'), async (ctx) => {
    const patch = profilePatch.parse(ctx.request.body);
    ctx.body = await profiles.update(ctx.state.user, patch, (fields) => auditRecord('users', ctx, fields));
  });

  router.get('/user-data', requirePermission('user-data:read'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await profiles.export(ctx.state.user.sub);
  });

  return router;
}
