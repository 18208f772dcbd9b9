import type { EventPayload } from '@platform/contracts';
import type { auditRecord } from '@platform/http';

/** What a service says about an action: what, to whom, before and after. */
export type AuditFields = Parameters<typeof auditRecord>[2];

/**
 * Builds the audit record of the current request (actor, ip, user agent, request id are the route's
 * business): services stay free of Koa types and only fill in the action.
 */
export type Audit = (fields: AuditFields) => EventPayload<'log.audit'>;
