import type { JsonObject } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { auditLogQuery, listUsersQuery, type PublicUser } from '@platform/contracts';
import { originOf, parseRequest, requirePermission } from '@platform/grpc';
import type { AuditContext } from '@platform/http';
import { AdminService, type ListAuditLogsRequest, type ListUsersRequest } from '@platform/proto';
import type { AuditLogEntry, AuditLogService } from '../services/audit-log.service.js';
import type { AuditedDirectory } from '../services/audited-directory.js';

export interface AdminGrpcDeps {
  directory: AuditedDirectory;
  auditLogs: AuditLogService;
}

/**
 * The directory and the audit log over gRPC, with REST's permissions, REST's query schemas (so both
 * doors refuse the same input) and REST's auditing of directory reads.
 */
export function adminGrpcRoutes({ directory, auditLogs }: AdminGrpcDeps): (router: ConnectRouter) => void {
  return (router) =>
    router.service(AdminService, {
      listUsers: async (req, ctx) => {
        const caller = requirePermission(ctx, 'users:read');
        const query = parseRequest(listUsersQuery, usersQueryOf(req));
        const offset = Math.max(0, req.offset);
        const page = await directory.list(query, auditOf(ctx, caller.sub), offset);
        return { users: page.users.map(toDirectoryUser), total: page.total };
      },
      listAuditLogs: async (req, ctx) => {
        requirePermission(ctx, 'audit:read');
        const page = await auditLogs.page(parseRequest(auditLogQuery, auditQueryOf(req)));
        return {
          entries: page.entries.map(({ entry, cursor }) => ({ ...toEntry(entry), cursor })),
          nextCursor: page.nextCursor ?? '',
        };
      },
    });
}

function auditOf(ctx: HandlerContext, actorId: string): AuditContext {
  return { service: 'admin', ...originOf(ctx), actorId };
}

/** Proto3's empty values mean "not given", as an absent query parameter does in REST. */
function usersQueryOf(req: ListUsersRequest): Record<string, unknown> {
  return dropEmpty({
    size: req.pageSize || undefined,
    q: req.query,
    role: req.role,
    status: req.accountStatus,
    deleted: req.deleted ? 'true' : undefined,
  });
}

function auditQueryOf(req: ListAuditLogsRequest): Record<string, unknown> {
  const iso = (t: Timestamp | undefined) => (t === undefined ? undefined : timestampDate(t).toISOString());
  return dropEmpty({
    size: req.pageSize || undefined,
    cursor: req.cursor,
    user: req.userId,
    actor: req.actorId,
    action: req.action,
    kind: req.kind,
    path: req.path,
    from: iso(req.from),
    to: iso(req.to),
    status: req.status || undefined,
  });
}

function dropEmpty(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
}

function toDirectoryUser(user: PublicUser) {
  return {
    ...user,
    avatarUrl: user.avatarUrl ?? '',
    status: user.status ?? '',
    createdAt: timestampFromDate(new Date(user.createdAt)),
  };
}

function toEntry(entry: AuditLogEntry) {
  return {
    id: entry.id,
    kind: entry.kind,
    at: timestampFromDate(new Date(entry.at)),
    service: entry.service,
    requestId: entry.requestId ?? '',
    action: entry.action ?? '',
    actorId: entry.actorId ?? '',
    targetId: entry.targetId ?? '',
    userId: entry.userId ?? '',
    method: entry.method ?? '',
    path: entry.path ?? '',
    status: entry.status ?? 0,
    durationMs: entry.durationMs ?? 0,
    ip: entry.ip ?? '',
    userAgent: entry.userAgent ?? '',
    // jsonb columns hold JSON: what Struct carries.
    before: (entry.before ?? undefined) as JsonObject | undefined,
    after: (entry.after ?? undefined) as JsonObject | undefined,
  };
}
