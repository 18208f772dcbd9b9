import type { Context } from 'koa';
import { auditContext, type AuditContext, type AuthState } from '@platform/http';

/** Who is acting for this request, from where: the service names the action, this adds who and where. */
export const auditOf = (ctx: Context & { state: AuthState }): AuditContext => auditContext('admin', ctx);
