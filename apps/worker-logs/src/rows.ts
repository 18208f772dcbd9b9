import { PermanentFailure } from '@platform/bus';
import { eventPayloads, type Envelope } from '@platform/contracts';
import type { AuditLogColumns } from '@platform/db';

/** One row of `audit_logs` as inserted (the JSON columns as text). */
export interface LogRow extends AuditLogColumns {
  message_id: string;
  occurred_at: string;
  before: string | null;
  after: string | null;
}

const EMPTY = {
  request_id: null,
  action: null,
  actor_id: null,
  target_id: null,
  user_id: null,
  method: null,
  path: null,
  status: null,
  duration_ms: null,
  ip: null,
  user_agent: null,
  before: null,
  after: null,
} as const;

/**
 * The row a `log.request` or `log.audit` envelope becomes. Anything else, or a payload that does not
 * match its schema, can never be stored: a PermanentFailure sends it to the dead-letter queue at once.
 * The envelope id becomes `message_id`, whose unique index makes a redelivered message a no-op.
 */
export function toLogRow(envelope: Envelope): LogRow {
  const base = { message_id: envelope.id, occurred_at: envelope.occurredAt };
  if (envelope.type === 'log.request') {
    const parsed = eventPayloads['log.request'].safeParse(envelope.payload);
    if (!parsed.success) throw new PermanentFailure(`invalid log.request payload: ${parsed.error.message}`);
    const p = parsed.data;
    return {
      ...EMPTY,
      ...base,
      kind: 'request',
      service: p.service,
      request_id: p.requestId,
      user_id: p.userId,
      method: p.method,
      path: p.path.slice(0, 2_048),
      status: p.status,
      duration_ms: p.ms,
      ip: p.ip,
      user_agent: p.userAgent?.slice(0, 512) ?? null,
    };
  }
  if (envelope.type === 'log.audit') {
    const parsed = eventPayloads['log.audit'].safeParse(envelope.payload);
    if (!parsed.success) throw new PermanentFailure(`invalid log.audit payload: ${parsed.error.message}`);
    const p = parsed.data;
    return {
      ...EMPTY,
      ...base,
      kind: 'audit',
      service: p.service,
      request_id: p.requestId,
      action: p.action,
      actor_id: p.actorId,
      target_id: p.targetId,
      ip: p.ip,
      user_agent: p.userAgent?.slice(0, 512) ?? null,
      before: p.before ? JSON.stringify(p.before) : null,
      after: p.after ? JSON.stringify(p.after) : null,
    };
  }
  throw new PermanentFailure(`worker-logs does not store ${envelope.type} messages`);
}
