import Koa from 'koa';
import { createLogger } from '@platform/observability';
import { errorHandler } from './error-handler.js';
import { healthRouter, type ReadinessCheck } from './health.js';
import { requestContext } from './request-context.js';
import type { BaseState } from './state.js';
import { serve } from './test-server.js';

async function probe(checks: Record<string, ReadinessCheck>, draining = false) {
  const app = new Koa<BaseState>();
  app.use(requestContext(createLogger('test', 'silent')));
  app.use(errorHandler());
  app.use(healthRouter(checks, () => draining).routes());
  const server = await serve(app as never);
  try {
    const health = await fetch(`${server.url}/health`);
    const ready = await fetch(`${server.url}/ready`);
    return {
      health: health.status,
      status: ready.status,
      body: (await ready.json()) as Record<string, unknown>,
    };
  } finally {
    await server.close();
  }
}

describe('health and readiness', () => {
  it('is ready when every dependency answers', async () => {
    const res = await probe({ database: async () => 1, redis: async () => 'PONG' });
    expect(res).toEqual({
      health: 200,
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } },
    });
  });

  it('answers 503 naming the dependency that fails, while staying alive', async () => {
    const res = await probe({
      database: async () => 1,
      broker: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.3')),
    });
    expect(res.health).toBe(200);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      code: 'not_ready',
      detail: 'Not ready: broker.',
      checks: { database: 'ok', broker: 'unavailable' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED/);
  });

  it('stops being ready while draining for shutdown', async () => {
    const res = await probe({}, true);
    expect([res.status, res.body.detail]).toEqual([503, 'Not ready: shutting-down.']);
  });

  it('gives up on a check that hangs', async () => {
    const res = await probe({ redis: () => new Promise(() => undefined) });
    expect(res.status).toBe(503);
  }, 10_000);
});
