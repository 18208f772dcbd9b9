import type { Context } from 'koa';
import type { BaseState } from '@platform/http';
import type { RequestMeta } from '../services/accounts.service.js';

/** Who asked, from where: for sessions and audit entries. */
export function requestMeta(ctx: Context & { state: BaseState }): RequestMeta {
  return { requestId: ctx.state.requestId, ip: ctx.ip, userAgent: ctx.get('user-agent') || null };
}
