import type { Logger } from 'pino';
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { ZodError } from 'zod';
import type { AccessClaims } from '@platform/contracts';
import { TokenError } from '@platform/tokens';
import { ChatError } from '../chat/chat.types.js';
import { presentedToken, type Authenticator } from '../services/authenticator.js';
import { readJsonBody, type BodyResult } from './body.js';
import { track, writeProblem, type Tracked } from './respond.js';

export interface AuthenticatedDeps {
  authenticator: Authenticator;
  log: Logger;
}

/** What a route declares it reads: how many path parameters, and whether it takes a JSON body. */
export interface RouteShape {
  params?: number;
  body?: boolean;
}

/** The request, copied out of uWS before the first await. `body` is undefined unless the shape asks. */
export interface RouteInput {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  /** For audit records: the edge's request id and the caller's user agent, when sent. */
  requestId: string | null;
  userAgent: string | null;
}

export type AuthenticatedHandler = (
  claims: AccessClaims,
  tracked: Tracked,
  input: RouteInput,
) => Promise<void>;

/** One entry per zod issue, `path` joined with dots (`members.1`), `(body)` for the whole value. */
export function fieldErrors(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/**
 * Maps what a handler threw to problem+json: chat refusals and validation as such, the rest a logged
 * 500. A validation refusal from the service still carries `errors`, as docs/api.md promises clients.
 */
function writeFailure(tracked: Tracked, log: Logger, error: unknown): void {
  // `message_held` comes only from socket sends; over HTTP it would be a bug, answered as one below.
  if (error instanceof ChatError && error.code !== 'message_held') {
    const errors =
      error.code === 'validation_failed' ? [{ path: '(body)', message: error.message }] : undefined;
    return writeProblem(tracked, error.code, error.message, errors ? { body: { errors } } : {});
  }
  if (error instanceof ZodError) {
    return writeProblem(tracked, 'validation_failed', 'The request is not valid; see errors.', {
      body: { errors: fieldErrors(error) },
    });
  }
  log.error({ err: error }, 'request failed');
  writeProblem(tracked, 'internal_error', 'Something went wrong on our side.');
}

/**
 * Runs `handler` for a caller with a valid bearer token. Headers, parameters and the query are copied
 * before the first await (uWS reuses the request object), and a body is read from the start, while the
 * token is checked (uWS drops chunks nobody listens for); a missing or refused token still answers 401
 * first. Failures become problem+json, never a crash.
 */
export function authenticated(deps: AuthenticatedDeps, shape: RouteShape, handler: AuthenticatedHandler) {
  return (res: HttpResponse, req: HttpRequest) => {
    const authorization = req.getHeader('authorization');
    const params = Array.from({ length: shape.params ?? 0 }, (_, index) => req.getParameter(index));
    const query = new URLSearchParams(req.getQuery());
    const requestId = req.getHeader('x-request-id') || null;
    const userAgent = req.getHeader('user-agent') || null;
    const tracked = track(res);
    const body: Promise<BodyResult> | undefined = shape.body ? readJsonBody(res, req) : undefined;
    void (async () => {
      let claims: AccessClaims;
      try {
        claims = await deps.authenticator.authenticate(presentedToken(authorization, undefined));
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        return writeProblem(tracked, error.code, error.message, {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      let value: unknown;
      if (body) {
        const read = await body;
        if (!read.ok) return writeProblem(tracked, read.problem.code, read.problem.detail);
        value = read.value;
      }
      await handler(claims, tracked, { params, query, body: value, requestId, userAgent });
    })().catch((error: unknown) => writeFailure(tracked, deps.log, error));
  };
}
