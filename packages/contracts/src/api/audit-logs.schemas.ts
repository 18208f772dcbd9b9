import { z } from 'zod';
import { decodeCursor } from './audit-cursor.js';
import { isoTime } from './common.schemas.js';

/** Filters of GET /admin/audit-logs; every one narrows the result (they are ANDed). */
export const auditLogQuery = z.strictObject({
  size: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .transform((raw, ctx) => {
      const cursor = decodeCursor(raw);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: 'Not a cursor from a previous page.' });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
  /** Anything the user did or had done to them: matches the request's user, the actor or the target. */
  user: z.uuid().optional(),
  actor: z.uuid().optional(),
  action: z.string().min(1).max(100).optional(),
  kind: z.enum(['request', 'audit']).optional(),
  /** A prefix of the request path; `%` and `_` are taken literally. */
  path: z.string().min(1).max(500).optional(),
  /** Inclusive lower bound on when it happened. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Exclusive upper bound. */
  to: z.iso.datetime({ offset: true }).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
});

export type AuditLogQuery = z.infer<typeof auditLogQuery>;

/** One stored record: a request (method, path, status...) or an audit entry (action, before, after). */
export const auditLogEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(['request', 'audit']),
  at: isoTime,
  service: z.string(),
  requestId: z.string().nullable(),
  action: z.string().nullable(),
  actorId: z.string().nullable(),
  targetId: z.string().nullable(),
  userId: z.string().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  status: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

export const auditLogPageSchema = z.object({
  entries: z.array(auditLogEntrySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page'),
});
