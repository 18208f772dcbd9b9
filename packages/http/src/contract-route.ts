import type Router from '@koa/router';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { can, routerPath, type Access, type RouteContract } from '@platform/contracts';
import { requireAuth } from './auth.js';
import { Errors } from './errors.js';
import type { AnswerCheck, BaseState } from './state.js';

type Parsed<R, K extends 'params' | 'query' | 'body'> = R extends { [key in K]: infer S extends z.ZodType }
  ? z.output<S>
  : undefined;

/** A request's input as its contract's schemas parse it; `undefined` where the contract declares none. */
export interface RouteInput<R extends RouteContract> {
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  body: Parsed<R, 'body'>;
}

/** A route's handler: gets the parsed input, calls one service method, sets status and body. */
export type ContractHandler<S extends BaseState, R extends RouteContract> = (
  ctx: Router.RouterContext<S>,
  input: RouteInput<R>,
) => unknown;

/**
 * The guards a contract's `access` asks for. Derived from the contract rather than repeated beside
 * it, so the document and the guard cannot disagree; requireAuth is idempotent, so an authenticated
 * router's own check before it costs nothing.
 */
function accessGuards(access: Access): Middleware<BaseState>[] {
  // A signed URL is checked by the service that signed it; it answers 401 itself when neither is given.
  if (access.kind === 'public' || access.kind === 'signed-in-or-signed-url') return [];
  if (access.kind === 'signed-in') return [requireAuth()];
  const { permission } = access;
  return [
    requireAuth(),
    async (ctx, next) => {
      if (!ctx.state.user || !can(ctx.state.user.role, permission)) throw Errors.forbidden();
      await next();
    },
  ];
}

/**
 * Parses params, query and body with the contract's schemas, in that order. A failure throws the
 * ZodError, which the error handler answers as `400 validation_failed` with `errors[]`.
 */
function parseInput(contract: RouteContract, raw: { params: unknown; query: unknown; body: unknown }) {
  return {
    params: contract.params?.parse(raw.params),
    query: contract.query?.parse(raw.query),
    body: contract.body?.parse(raw.body),
  };
}

/** Why the answer just set does not match the contract, or null when it does. */
export function answerMismatch(contract: RouteContract, status: number, body: unknown): string | null {
  const outcomes = [contract.success, ...(contract.alternatives ?? [])];
  const outcome = outcomes.find((o) => o.status === status);
  if (!outcome) return `status ${status} is none of ${outcomes.map((o) => o.status).join(', ')}`;
  if (!outcome.schema) return null;
  // Checked as the client reads it: dates become strings, undefined members disappear.
  const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const result = outcome.schema.safeParse(wire);
  if (result.success) return null;
  return result.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

function checkAnswer(contract: RouteContract, ctx: Koa.ParameterizedContext<BaseState>, mode: AnswerCheck) {
  const mismatch = answerMismatch(contract, ctx.status, ctx.body);
  if (mismatch === null) return;
  const { operationId } = contract;
  ctx.state.log.warn({ operationId, mismatch }, 'answer does not match its contract');
  // Under test a mismatch fails the request, so the integration tests prove the contracts' answers.
  if (mode === 'fail') throw new Error(`${operationId} answered outside its contract: ${mismatch}`);
}

/**
 * Registers the route a contract describes on `router`: method and path from the contract, its access
 * guards, then `middleware` (rate limits, step-up), then the input parsed with its schemas and handed
 * to `handler`. Outside production the answer is held to the contract's success schema too (see
 * `answerCheck` on the kit's options).
 */
export function handle<S extends BaseState, R extends RouteContract>(
  router: Router<S>,
  contract: R,
  ...chain: [...Router.Middleware<S>[], ContractHandler<S, R>]
): void {
  // The tuple type guarantees the last element is the handler; TypeScript cannot split it by itself.
  const handler = chain.at(-1) as ContractHandler<S, R>;
  const middleware = chain.slice(0, -1) as Router.Middleware<S>[];
  const run: Router.Middleware<S> = async (ctx) => {
    const raw = { params: ctx.params, query: ctx.query, body: ctx.request.body };
    // The conditional types of RouteInput cannot be followed through `?.parse`; the schemas are the contract's.
    const input = parseInput(contract, raw) as RouteInput<R>;
    await handler(ctx, input);
    const mode = ctx.state.answerCheck ?? 'off';
    if (mode !== 'off') checkAnswer(contract, ctx, mode);
  };
  router.register(
    routerPath(contract.path),
    [contract.method],
    [...accessGuards(contract.access), ...middleware, run],
  );
}
