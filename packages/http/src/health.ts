import Router from '@koa/router';
import { problemBody } from '@platform/contracts';
import type { BaseState } from './state.js';

/** A named dependency check for /ready; it rejects when the dependency is not usable. */
export type ReadinessCheck = () => Promise<unknown>;

async function withTimeout(check: ReadinessCheck, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health (the process is alive) and GET /ready (every dependency answers, or 503 naming which). */
export function healthRouter(
  checks: Record<string, ReadinessCheck>,
  isDraining: () => boolean,
): Router<BaseState> {
  const router = new Router<BaseState>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check, 2000);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const status = Object.fromEntries(results);
    const failing = results.filter(([, s]) => s !== 'ok').map(([n]) => n);
    if (isDraining()) failing.push('shutting-down');
    if (failing.length === 0) {
      ctx.body = { status: 'ready', checks: status };
      return;
    }
    ctx.status = 503;
    ctx.type = 'application/problem+json';
    ctx.body = problemBody('not_ready', `Not ready: ${failing.join(', ')}.`, { checks: status });
  });
  return router;
}
