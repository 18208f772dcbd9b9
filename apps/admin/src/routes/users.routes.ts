import { ADMIN_ROUTES, byOperationId, can, type MediaUrlSigning } from '@platform/contracts';
import { toPublicUser } from '@platform/db';
import { assertThat, authenticatedRouter, Errors, handle, type AuthState, type Router } from '@platform/http';
import type { AccountAdminService } from '../services/account-admin.service.js';
import type { AuditedDirectory } from '../services/audited-directory.js';
import { auditOf } from './audit.js';

export interface UserRoutesDeps {
  directory: AuditedDirectory;
  accounts: AccountAdminService;
  /** Signs uploaded avatars' URLs. */
  mediaUrls: MediaUrlSigning;
}

const api = byOperationId(ADMIN_ROUTES);

/** Setting a role (on create or update) is a permission of its own, above writing users. */
const mayAssignRoles = (state: AuthState) =>
  assertThat(can(state.user.role, 'users:assign-role'), Errors.forbidden('Only an admin can assign roles.'));

/**
 * Everything under /admin/users, on one router so a wrong method on a
 * path gets a 405 from the router that knows all of that path's methods.
 * Managers may read (users:read); every change needs users:write, and a role users:assign-role.
 * Reads are audited on their own; each write's audit record commits in the write's transaction.
 */
export function userRoutes({ directory, accounts, mediaUrls }: UserRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.listUsers, async (ctx, { query }) => {
    ctx.body = await directory.list(query, auditOf(ctx));
  });

  handle(router, api.inviteUser, async (ctx, { body }) => {
    if (body.role !== 'user') mayAssignRoles(ctx.state);
    const user = await accounts.create(body, auditOf(ctx));
    ctx.status = 201;
    ctx.body = { user: toPublicUser(user, mediaUrls) };
  });

  handle(router, api.getUser, async (ctx, { params }) => {
    ctx.body = { user: await directory.get(params.id, auditOf(ctx)) };
  });

  handle(router, api.updateUser, async (ctx, { params, body }) => {
    if (body.role !== undefined) mayAssignRoles(ctx.state);
    ctx.body = { user: toPublicUser(await accounts.update(params.id, body, auditOf(ctx)), mediaUrls) };
  });

  handle(router, api.lockUser, async (ctx, { params }) => {
    ctx.body = { user: toPublicUser(await accounts.lock(params.id, auditOf(ctx)), mediaUrls) };
  });

  handle(router, api.unlockUser, async (ctx, { params }) => {
    ctx.body = { user: toPublicUser(await accounts.unlock(params.id, auditOf(ctx)), mediaUrls) };
  });

  handle(router, api.deleteUser, async (ctx, { params }) => {
    await accounts.remove(params.id, auditOf(ctx));
    ctx.status = 204;
  });

  handle(router, api.restoreUser, async (ctx, { params }) => {
    ctx.body = { user: toPublicUser(await accounts.restore(params.id, auditOf(ctx)), mediaUrls) };
  });

  return router;
}
