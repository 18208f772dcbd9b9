import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { GatewayContext } from '../context.js';
import { pageSize } from '../paging.js';
import { auditEntryView } from '../views.js';

interface AuditLogFilter {
  userId?: string | null;
  actorId?: string | null;
  action?: string | null;
  kind?: string | null;
  path?: string | null;
  from?: Date | null;
  to?: Date | null;
  status?: number | null;
}

/** The request and audit logs (admin's gRPC), keyset-paged there: the cursors are admin's own. */
export const auditResolvers = {
  Query: {
    auditLogs: async (
      _: unknown,
      args: { filter?: AuditLogFilter | null; first?: number | null; after?: string | null },
      ctx: GatewayContext,
    ) => {
      const filter = args.filter ?? {};
      const page = await ctx.backends.admin.listAuditLogs(
        {
          pageSize: pageSize(args.first, 50),
          cursor: args.after ?? '',
          userId: filter.userId ?? '',
          actorId: filter.actorId ?? '',
          action: filter.action ?? '',
          kind: filter.kind ?? '',
          path: filter.path ?? '',
          from: filter.from ? timestampFromDate(filter.from) : undefined,
          to: filter.to ? timestampFromDate(filter.to) : undefined,
          status: filter.status ?? 0,
        },
        ctx.callOptions(),
      );
      const edges = page.entries.map((entry) => ({ cursor: entry.cursor, node: auditEntryView(entry) }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.nextCursor !== '',
          hasPreviousPage: args.after !== undefined && args.after !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
};
