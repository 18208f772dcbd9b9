import type { Context } from 'koa';
import type { AuditContext } from '@platform/contracts';
import type { BaseState } from './state.js';

// The context and the payload builder are the contracts' (realtime audits too, without Koa).
export { auditEntry, type AuditContext, type AuditFields } from '@platform/contracts';

/** The request's audit context: service, request id, caller, IP and user agent. */
export function auditContext(service: string, ctx: Context & { state: BaseState }): AuditContext {
  return {
    service,
    requestId: ctx.state.requestId,
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || null,
    actorId: ctx.state.user?.sub ?? null,
  };
}
