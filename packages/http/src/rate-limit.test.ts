import { Redis } from 'ioredis';
import Koa from 'koa';
import { createLogger } from '@platform/observability';
import { errorHandler } from './error-handler.js';
import { rateLimit } from './rate-limit.js';
import { requestContext } from './request-context.js';
import type { BaseState } from './state.js';
import { serve } from './test-server.js';

// A Redis that is not there: nothing listens on port 1.
const absent = () =>
  new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });

async function statusWith(failOpen: boolean): Promise<{ status: number; code?: unknown }> {
  const redis = absent();
  redis.on('error', () => undefined);
  const app = new Koa<BaseState>();
  app.use(requestContext(createLogger('test', 'silent')));
  app.use(errorHandler());
  app.use(rateLimit({ redis, name: 'test', max: 5, id: () => 'someone', failOpen }));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const server = await serve(app as never);
  try {
    const res = await fetch(server.url);
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, code: body.code };
  } finally {
    await server.close();
    redis.disconnect();
  }
}

describe('rateLimit when Redis is down', () => {
  it('lets requests through when it fails open (the general limit)', async () => {
    expect(await statusWith(true)).toEqual({ status: 200, code: undefined });
  });

  it('answers 503 service_unavailable when it fails closed (sign-in limits)', async () => {
    expect(await statusWith(false)).toEqual({ status: 503, code: 'service_unavailable' });
  });
});
