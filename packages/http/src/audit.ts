import type { Context } from 'koa';
import type { EventPayload } from '@platform/contracts';
import type { BaseState } from './state.js';

type AuditFields = Pick<EventPayload<'log.audit'>, 'action'> &
  Partial<Pick<EventPayload<'log.audit'>, 'targetId' | 'before' | 'after'>>;

/** An audit record for what the caller of this request did: who, from where, to what. */
export function auditRecord(
  service: string,
  ctx: Context & { state: BaseState },
  fields: AuditFields,
): EventPayload<'log.audit'> {
  return {
    service,
    requestId: ctx.state.requestId,
    actorId: ctx.state.user?.sub ?? null,
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || null,
    targetId: fields.targetId ?? null,
    before: fields.before ?? null,
    after: fields.after ?? null,
    action: fields.action,
  };
}
