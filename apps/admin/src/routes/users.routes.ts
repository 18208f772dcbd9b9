import { can, createUserBody, listUsersQuery, updateUserBody, userIdParams } from '@platform/contracts';
import { toPublicUser, type EntityManager } from '@platform/db';
import { assertThat, auditRecord, authenticatedRouter, Errors, requirePermission } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { AccountAdminService } from '../services/account-admin.service.js';
import type { Audit } from '../services/audit.js';
import type { DirectoryService } from '../services/directory.service.js';

/** A route's context as the audit helper takes it. */
type CallContext = Parameters<typeof auditRecord>[1];

/** The audit record builder for this request: the service names the action, we add who and where. */
const auditOf =
  (ctx: CallContext): Audit =>
  (fields) =>
    auditRecord('admin', ctx, fields);

/** Setting a role (on create or update) is a permission of its own, above writing users. */
const mayAssignRoles = (ctx: CallContext) =>
  assertThat(
    ctx.state.user && can(ctx.state.user.role, 'users:assign-role'),
    Errors.forbidden('Only an admin can assign roles.'),
  );

/**
 * Everything under /admin/users, on one router so a wrong method on a
 * path gets a 405 from the router that knows all of that path's methods.
 * Managers may read (users:read); every change needs users:write, and a role users:assign-role.
 * Reads are audited on their own; each write's audit record commits in the write's transaction.
 */
export function userRoutes(
  directory: DirectoryService,
  accounts: AccountAdminService,
  events: EventSink,
  em: EntityManager,
) {
  const router = authenticatedRouter();

  router.get('/admin/users', requirePermission('users:read'), async (ctx) => {
    const query = listUsersQuery.parse(ctx.query);
    ctx.body = await directory.list(query);
    await events.record(
      em,
      'log.audit',
      auditRecord('admin', ctx, { action: 'users.list', after: { ...query } }),
    );
  });

  router.post('/admin/users', requirePermission('users:write'), async (ctx) => {
    const body = createUserBody.parse(ctx.request.body);
    if (body.role !== 'user') mayAssignRoles(ctx);
    const user = await accounts.create(body, auditOf(ctx));
    ctx.status = 201;
    ctx.body = { user: toPublicUser(user) };
  });

  router.get('/admin/users/:id', requirePermission('users:read'), async (ctx) => {
    const { id } = userIdParams.parse(ctx.params);
    ctx.body = { user: await directory.get(id) };
    await events.record(em, 'log.audit', auditRecord('admin', ctx, { action: 'users.read', targetId: id }));
  });

  router.patch('/admin/users/:id', requirePermission('users:write'), async (ctx) => {
    const { id } = userIdParams.parse(ctx.params);
    const body = updateUserBody.parse(ctx.request.body);
    if (body.role !== undefined) mayAssignRoles(ctx);
    ctx.body = { user: toPublicUser(await accounts.update(id, body, auditOf(ctx))) };
  });

  router.post('/admin/users/:id/lock', requirePermission('users:write'), async (ctx) => {
    const { id } = userIdParams.parse(ctx.params);
    ctx.body = { user: toPublicUser(await accounts.lock(id, auditOf(ctx))) };
  });

  router.post('/admin/users/:id/unlock', requirePermission('users:write'), async (ctx) => {
    const { id } = userIdParams.parse(ctx.params);
    ctx.body = { user: toPublicUser(await accounts.unlock(id, auditOf(ctx))) };
  });

  router.delete('/admin/users/:id', requirePermission('users:write'), async (ctx) => {
    const { id } = userIdParams.parse(ctx.params);
    await accounts.remove(id, auditOf(ctx));
    ctx.status = 204;
  });

  router.post('/admin/users/:id/restore', requirePermission('users:write'), async (ctx) => {
    const { id } = userIdParams.parse(ctx.params);
    ctx.body = { user: toPublicUser(await accounts.restore(id, auditOf(ctx))) };
  });

  return router;
}
