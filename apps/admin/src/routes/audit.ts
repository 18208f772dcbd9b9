import { auditContext, type AuditContext, type AuthState } from '@platform/http';
import type { Context } from 'koa';

/** Who is acting for this request, from where: the service names the action, this adds who and where. */
export const auditOf = (ctx: Context & { state: AuthState }): AuditContext => auditContext('admin', ctx);
