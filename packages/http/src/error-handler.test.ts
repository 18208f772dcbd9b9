import { Writable } from 'node:stream';
import Koa from 'koa';
import { z } from 'zod';
import { createLogger } from '@platform/observability';
import { errorHandler } from './error-handler.js';
import { AppError } from './errors.js';
import { requestContext } from './request-context.js';
import type { BaseState } from './state.js';
import { serve } from './test-server.js';

const logged: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(chunk.toString());
    done();
  },
});

function appThatThrows(error: () => unknown) {
  const app = new Koa<BaseState>();
  app.silent = true;
  app.use(requestContext(createLogger('test', 'error', sink)));
  app.use(errorHandler());
  app.use(async (ctx) => {
    if (ctx.path === '/ok') {
      ctx.body = { ok: true };
      return;
    }
    if (ctx.path === '/missing') return;
    throw error();
  });
  return app;
}

async function get(error: () => unknown, path = '/boom') {
  const server = await serve(appThatThrows(error) as never);
  try {
    const res = await fetch(`${server.url}${path}`, { headers: { 'x-request-id': 'req-12345678' } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      retry: res.headers.get('retry-after'),
      body: (await res.json()) as Record<string, unknown>,
    };
  } finally {
    await server.close();
  }
}

describe('errorHandler', () => {
  it('renders an AppError as problem+json with its code, headers and the request id', async () => {
    const res = await get(() => new AppError('overloaded', 'Busy.', { headers: { 'Retry-After': '3' } }));
    expect(res).toMatchObject({ status: 503, retry: '3' });
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:platform:problem:overloaded',
      title: 'Too busy; retry after the given time',
      status: 503,
      detail: 'Busy.',
      code: 'overloaded',
      requestId: 'req-12345678',
    });
  });

  it('turns a ZodError into validation_failed with one entry per field', async () => {
    const schema = z.strictObject({ email: z.string(), age: z.number() });
    const res = await get(() => schema.safeParse({ age: 'x', extra: 1 }).error);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'email', message: expect.any(String) },
        { path: 'age', message: expect.any(String) },
        { path: '(body)', message: 'unknown field(s): extra' },
      ]),
    );
  });

  it('hides the message of an unexpected error behind a generic 500 and logs it', async () => {
    logged.length = 0;
    const res = await get(() => new Error('relation "users" does not exist at /srv/app/src/db.ts:12'));
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toMatch(/relation|users|db\.ts/);
    expect(logged.join('')).toMatch(/relation \\"users\\" does not exist/);
  });

  it('maps http-errors thrown by libraries to safe codes', async () => {
    const res = await get(() =>
      Object.assign(new Error('Method Not Allowed'), { status: 405, expose: true }),
    );
    expect([res.status, res.body.code]).toEqual([405, 'method_not_allowed']);
  });

  it('answers a path nobody handled with 404 not_found', async () => {
    const res = await get(() => undefined, '/missing');
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });
});

describe('requestContext', () => {
  it('keeps a sane incoming X-Request-Id and replaces an unsafe one', async () => {
    const server = await serve(appThatThrows(() => undefined) as never);
    try {
      const kept = await fetch(`${server.url}/ok`, { headers: { 'x-request-id': 'abc-12345678' } });
      expect(kept.headers.get('x-request-id')).toBe('abc-12345678');
      const replaced = await fetch(`${server.url}/ok`, {
        headers: { 'x-request-id': 'bad id\twith spaces' },
      });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await server.close();
    }
  });
});
