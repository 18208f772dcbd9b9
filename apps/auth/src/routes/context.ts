import type { Context } from 'koa';
import { auditContext, type BaseState } from '@platform/http';
import type { RequestMeta } from '../services/accounts.service.js';

/** Who asked, from where: for sessions and audit entries. */
export function requestMeta(ctx: Context & { state: BaseState }): RequestMeta {
  return auditContext('auth', ctx);
}
