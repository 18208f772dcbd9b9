import { encodeCursor, type AuditLogQuery } from '@platform/contracts';
import type { AuditLogColumns, EntityManager } from '@platform/db';

/** A row of `audit_logs` as the driver returns it (bigint as text, jsonb parsed). */
interface AuditLogRow extends AuditLogColumns {
  id: string;
  occurred_at: Date;
  /** `occurred_at` to the microsecond, for the cursor. */
  cursor_at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const COLUMNS = [
  'id',
  'kind',
  'occurred_at',
  'service',
  'request_id',
  'action',
  'actor_id',
  'target_id',
  'user_id',
  'method',
  'path',
  'status',
  'duration_ms',
  'ip',
  'user_agent',
  'before',
  'after',
];

/** `%`, `_` and `\` are wildcards in LIKE (backslash is Postgres' default escape); a path is a path. */
function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function toEntry(row: AuditLogRow) {
  return {
    id: String(row.id),
    kind: row.kind,
    at: new Date(row.occurred_at).toISOString(),
    service: row.service,
    requestId: row.request_id,
    action: row.action,
    actorId: row.actor_id,
    targetId: row.target_id,
    userId: row.user_id,
    method: row.method,
    path: row.path,
    status: row.status,
    durationMs: row.duration_ms,
    ip: row.ip,
    userAgent: row.user_agent,
    before: row.before,
    after: row.after,
  };
}

export type AuditLogEntry = ReturnType<typeof toEntry>;

/**
 * Reads the request and audit logs that worker-logs stores. Newest first with keyset pagination on
 * (occurred_at, id), which the table's index serves, so deep pages cost what the first one does and
 * rows arriving meanwhile never shift a page.
 */
export class AuditLogService {
  constructor(private readonly em: EntityManager) {}

  async search(query: AuditLogQuery): Promise<{ entries: AuditLogEntry[]; nextCursor: string | null }> {
    const { entries, nextCursor } = await this.page(query);
    return { entries: entries.map(({ entry }) => entry), nextCursor };
  }

  /** One page with each entry's own cursor (a GraphQL connection's edges need one per entry). */
  async page(
    query: AuditLogQuery,
  ): Promise<{ entries: { entry: AuditLogEntry; cursor: string }[]; nextCursor: string | null }> {
    const knex = this.em.getKnex();
    const builder = knex('audit_logs')
      .select(COLUMNS)
      .select(
        knex.raw(`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`),
      )
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      // One more than asked: whether it exists says if there is a next page.
      .limit(query.size + 1);
    const { user, cursor } = query;
    if (user) {
      builder.where((any) => {
        any.where('user_id', user).orWhere('actor_id', user).orWhere('target_id', user);
      });
    }
    if (query.actor) builder.where('actor_id', query.actor);
    if (query.action) builder.where('action', query.action);
    if (query.kind) builder.where('kind', query.kind);
    if (query.path) builder.where('path', 'like', prefixPattern(query.path));
    if (query.from) builder.where('occurred_at', '>=', query.from);
    if (query.to) builder.where('occurred_at', '<', query.to);
    if (query.status !== undefined) builder.where('status', query.status);
    if (cursor) {
      builder.whereRaw('(occurred_at, id) < (?::timestamptz, ?::bigint)', [cursor.at, cursor.id]);
    }
    const rows = (await builder) as AuditLogRow[];
    const page = rows.slice(0, query.size);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.size && last ? encodeCursor({ at: last.cursor_at, id: String(last.id) }) : null;
    const cursorOf = (row: AuditLogRow) => encodeCursor({ at: row.cursor_at, id: String(row.id) });
    return { entries: page.map((row) => ({ entry: toEntry(row), cursor: cursorOf(row) })), nextCursor };
  }
}
