import { Writable } from 'node:stream';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { z } from 'zod';
import { route } from '@platform/contracts';
import { createLogger } from '@platform/observability';
import { answerMismatch, handle } from './contract-route.js';
import { errorHandler } from './error-handler.js';
import { requestContext } from './request-context.js';
import { publicRouter } from './routers.js';
import type { AnswerCheck, BaseState } from './state.js';
import { serve } from './test-server.js';

const logged: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(chunk.toString());
    done();
  },
});

const renameNote = route({
  service: 'users',
  operationId: 'renameNote',
  method: 'patch',
  path: '/notes/{id}',
  summary: 'Rename a note',
  access: { kind: 'public' },
  params: z.object({ id: z.uuid() }),
  query: z.object({ dryRun: z.enum(['0', '1']).optional() }),
  body: z.strictObject({ title: z.string().min(1) }),
  success: { status: 200, description: 'The note', schema: z.object({ id: z.uuid(), title: z.string() }) },
  errors: [],
});

const id = '6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';

/** An app with one contract route whose handler answers `answer(input)`. */
function appWith(answerCheck: AnswerCheck, answer: (title: string) => unknown) {
  const app = new Koa<BaseState>();
  app.silent = true;
  app.use(requestContext(createLogger('test', 'warn', sink)));
  app.use((ctx, next) => {
    ctx.state.answerCheck = answerCheck;
    return next();
  });
  app.use(errorHandler());
  app.use(bodyParser({ enableTypes: ['json'] }));
  const router = publicRouter();
  const seen: unknown[] = [];
  handle(router, renameNote, (ctx, input) => {
    seen.push(input);
    ctx.body = answer(input.body.title);
  });
  app.use(router.routes());
  return { app, seen };
}

async function patch(app: Koa<BaseState>, path: string, body: unknown) {
  const server = await serve(app as never);
  try {
    const res = await fetch(`${server.url}${path}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-12345678' },
      body: JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as unknown };
  } finally {
    await server.close();
  }
}

describe('handle(router, contract, handler)', () => {
  beforeEach(() => logged.splice(0));

  it('hands the handler params, query and body as the contract parses them', async () => {
    const { app, seen } = appWith('fail', (title) => ({ id, title }));
    const res = await patch(app, `/notes/${id}?dryRun=1`, { title: 'Groceries' });
    expect(res).toMatchObject({ status: 200, body: { id, title: 'Groceries' } });
    expect(seen).toEqual([{ params: { id }, query: { dryRun: '1' }, body: { title: 'Groceries' } }]);
  });

  it('answers 400 validation_failed with the failing fields, as an inline parse did', async () => {
    const { app, seen } = appWith('fail', (title) => ({ id, title }));
    const res = await patch(app, `/notes/${id}`, { title: '', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      detail: 'The request is not valid; see errors for each field.',
      errors: [
        { path: 'title', message: expect.any(String) },
        { path: '(body)', message: 'unknown field(s): colour' },
      ],
      requestId: 'req-12345678',
    });
    expect(seen).toEqual([]);
  });

  it('checks the params before the body', async () => {
    const { app } = appWith('fail', (title) => ({ id, title }));
    const res = await patch(app, '/notes/not-a-uuid', { title: '' });
    expect(res.body).toMatchObject({ errors: [{ path: 'id' }] });
  });

  it('fails an answer outside the contract when told to (under test)', async () => {
    const { app } = appWith('fail', (title) => ({ id: 42, title }));
    const res = await patch(app, `/notes/${id}`, { title: 'Groceries' });
    expect(res).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect(logged.join('')).toContain('answer does not match its contract');
  });

  it('only logs an answer outside the contract in development', async () => {
    const { app } = appWith('log', (title) => ({ id: 42, title }));
    const res = await patch(app, `/notes/${id}`, { title: 'Groceries' });
    expect(res).toMatchObject({ status: 200, body: { id: 42 } });
    expect(logged.join('')).toContain('renameNote');
  });

  it('does not look at the answer in production', async () => {
    const { app } = appWith('off', (title) => ({ id: 42, title }));
    expect((await patch(app, `/notes/${id}`, { title: 'Groceries' })).status).toBe(200);
    expect(logged).toEqual([]);
  });
});

describe('answerMismatch', () => {
  it('reads the answer as the client does, dates as strings', () => {
    const contract = {
      ...renameNote,
      success: { ...renameNote.success, schema: z.object({ at: z.iso.datetime() }) },
    };
    expect(answerMismatch(contract, 200, { at: new Date(0) })).toBeNull();
  });

  it('names a status the contract does not list', () => {
    expect(answerMismatch(renameNote, 201, { id, title: 'x' })).toBe('status 201 is none of 200');
  });
});
