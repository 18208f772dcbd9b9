import type { Context } from 'koa';
import type { EventPayload } from '@platform/contracts';
import type { BaseState } from './state.js';

/**
 * Who is acting and from where. The route makes it once from the request (`auditContext`) and hands
 * it to services as a plain value, so services record audits without ever seeing Koa's context.
 */
export interface AuditContext {
  /** The service writing the record (`auth`, `users`, `admin`). */
  service: string;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The signed-in caller, when the request carried a token. */
  actorId: string | null;
}

/** What a service says about one action: what, to whom, before and after. */
export interface AuditFields {
  action: string;
  /**
   * Who acted, when it is not the caller of the request: a sign-in acts for the account before any
   * token exists, an anonymous reset request for nobody. Left out, the context's actor.
   */
  actorId?: string | null;
  targetId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

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

/** The one builder of the `log.audit` payload, from the context and the action's fields. */
export function auditEntry(context: AuditContext, fields: AuditFields): EventPayload<'log.audit'> {
  return {
    service: context.service,
    requestId: context.requestId,
    actorId: fields.actorId === undefined ? context.actorId : fields.actorId,
    ip: context.ip,
    userAgent: context.userAgent,
    targetId: fields.targetId ?? null,
    before: fields.before ?? null,
    after: fields.after ?? null,
    action: fields.action,
  };
}
