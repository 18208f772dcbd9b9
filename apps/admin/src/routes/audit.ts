import type { Context } from 'koa';
import { auditRecord, type AuthState } from '@platform/http';
import type { Audit } from '../services/audit.js';

/** The audit record builder for this request: the service names the action, the route adds who and where. */
export const auditOf =
  (ctx: Context & { state: AuthState }): Audit =>
  (fields) =>
    auditRecord('admin', ctx, fields);
