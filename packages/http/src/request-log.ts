import type { Middleware } from 'koa';
import type { Histogram } from 'prom-client';
import type { EventPayload } from '@platform/contracts';
import type { BaseState } from './state.js';

export type RequestLogEntry = EventPayload<'log.request'>;

export interface RequestLogOptions {
  service: string;
  histogram: Histogram<'method' | 'route' | 'status'>;
  /** Ships each entry to the `logs` queue; must not throw (failures are the shipper's to count). */
  ship: (entry: RequestLogEntry) => void;
}

/**
 * One log line, one histogram sample and one shipped entry per request, after the response status is
 * final. It sits outside the error handler so it sees the status the client gets.
 */
export function requestLog({ service, histogram, ship }: RequestLogOptions): Middleware<BaseState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // @koa/router sets it on the context it matched; Koa's own Context type does not know it.
      const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute ?? 'unmatched';
      histogram.observe({ method: ctx.method, route: String(route), status: String(ctx.status) }, ms / 1000);
      const entry: RequestLogEntry = {
        service,
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(ms * 100) / 100,
        userId: ctx.state.user?.sub ?? null,
        ip: ctx.ip,
        userAgent: ctx.get('user-agent') || null,
      };
      const { requestId: _id, service: _service, ...fields } = entry;
      ctx.state.log[ctx.status >= 500 ? 'error' : 'info'](fields, 'request');
      ship(entry);
    }
  };
}
