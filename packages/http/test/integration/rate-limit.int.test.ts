import { Redis } from 'ioredis';
import Koa from 'koa';
import { createLogger } from '@platform/observability';
import { backingServices, uniqueId } from '@platform/test-services';
import { errorHandler } from '../../src/error-handler.js';
import { rateLimit } from '../../src/rate-limit.js';
import { requestContext } from '../../src/request-context.js';
import type { BaseState } from '../../src/state.js';
import { serve } from '../../src/test-server.js';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(backingServices().redisUrl, { keyPrefix: `${uniqueId('rl')}:` });
});
afterAll(() => redis.quit());

/** Two apps (two instances) sharing one Redis and one limit of `max` per `windowMs`. */
async function instances(max: number, windowMs: number) {
  const name = uniqueId('limit');
  const servers = await Promise.all(
    [1, 2].map(() => {
      const app = new Koa<BaseState>();
      app.use(requestContext(createLogger('test', 'silent')));
      app.use(errorHandler());
      app.use(rateLimit({ redis, name, max, windowMs, id: () => 'someone' }));
      app.use((ctx) => {
        ctx.body = { ok: true };
      });
      return serve(app as never);
    }),
  );
  return {
    get: (i: number) => fetch(servers[i % 2]?.url ?? ''),
    members: () => redis.zcard(`ratelimit:${name}:someone`),
    close: () => Promise.all(servers.map((server) => server.close())),
  };
}

describe('rateLimit against Redis', () => {
  it('lets exactly max concurrent requests through across instances, and refuses the rest with 429', async () => {
    const limited = await instances(5, 60_000);
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => limited.get(i)));
      const statuses = answers.map((res) => res.status).sort();
      expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
      const refused = answers.find((res) => res.status === 429);
      if (!refused) throw new Error('nothing was refused');
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
      expect(((await refused.json()) as { code: string }).code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      // Refused requests are not recorded: a client hammering the limit costs no more memory.
      expect(await limited.members()).toBe(5);
    } finally {
      await limited.close();
    }
  });

  it('counts down in its headers and frees slots as the window slides', async () => {
    const limited = await instances(2, 1_000);
    try {
      const first = await limited.get(0);
      expect({
        policy: first.headers.get('ratelimit-policy'),
        limit: first.headers.get('ratelimit-limit'),
        remaining: first.headers.get('ratelimit-remaining'),
        reset: first.headers.get('ratelimit-reset'),
      }).toEqual({ policy: '2;w=1', limit: '2', remaining: '1', reset: '1' });
      expect((await limited.get(1)).headers.get('ratelimit-remaining')).toBe('0');
      expect((await limited.get(0)).status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await limited.get(1)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
