import type { EventPayload } from './events.js';

/**
 * Who is acting and from where. An HTTP route makes it from the request (`auditContext` in
 * @platform/http); realtime makes it from the socket or uWS request. Services get it as a plain
 * value, so they record audits without ever seeing a framework's request.
 */
export interface AuditContext {
  /** The service writing the record (`auth`, `users`, `admin`, `realtime`). */
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
