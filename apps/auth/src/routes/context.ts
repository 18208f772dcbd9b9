import type { Context } from 'koa';
import type { RequestMeta } from '../services/accounts.service.js';
import type { BaseState } from '@platform/http';

/** Who asked, from where: for sessions and audit entries. */
export function requestMeta(ctx: Context & { state: BaseState }): RequestMeta {
  return { requestId: ctx.state.requestId, ip: ctx.ip, userAgent: ctx.get('user-agent') || null };
}
