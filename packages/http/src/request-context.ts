import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '@platform/observability';
import type { BaseState } from './state.js';

const SAFE_ID = /^[\w.-]{8,128}$/;

/** Request id (a caller's X-Request-Id when it looks sane, else a new UUID) and a child logger. */
export function requestContext(log: Logger): Middleware<BaseState> {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = log.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    await next();
  };
}
