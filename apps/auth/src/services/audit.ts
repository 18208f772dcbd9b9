import type { EventPayload } from '@platform/contracts';
import type { RequestMeta } from './accounts.service.js';

/** The fields of an audit record that vary by event; the rest comes from the request. */
export interface AuditFields {
  action: string;
  actorId: string | null;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** An audit record of something auth did for this request: who, to whom, from where. */
export function authAudit(meta: RequestMeta, fields: AuditFields): EventPayload<'log.audit'> {
  return {
    service: 'auth',
    requestId: meta.requestId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    action: fields.action,
    actorId: fields.actorId,
    targetId: fields.targetId,
    before: fields.before ?? null,
    after: fields.after ?? null,
  };
}
