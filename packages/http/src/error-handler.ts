import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { problemBody, type HttpErrorCode } from '@platform/contracts';
import { AppError, type FieldError } from './errors.js';
import type { BaseState } from './state.js';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  headers?: Record<string, string | number>;
  type?: string;
  message?: string;
}

/** Codes for the statuses libraries (koa-router, body parsers) throw with; any other 4xx is `bad_request`. */
const CODE_BY_STATUS: Partial<Record<number, HttpErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  501: 'not_implemented',
};

/** Known library errors, mapped to safe codes and details. */
function fromHttpError(error: HttpLikeError): AppError | undefined {
  const status = error.status ?? error.statusCode;
  if (!status || status < 400 || status >= 500) return undefined;
  const headers = Object.fromEntries(Object.entries(error.headers ?? {}).map(([k, v]) => [k, String(v)]));
  if (error.type === 'entity.parse.failed')
    return new AppError('invalid_json', 'The body is not valid JSON.');
  if (error.type === 'entity.too.large') return new AppError('payload_too_large', 'The body is too large.');
  if (status === 429)
    return new AppError('rate_limited', 'Too many requests; slow down and retry later.', { headers });
  const code = CODE_BY_STATUS[status] ?? 'bad_request';
  return new AppError(code, error.expose && error.message ? error.message : code.replaceAll('_', ' '), {
    headers,
  });
}

function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/**
 * Maps every error to application/problem+json. Unknown errors become a generic 500 and are logged
 * with the request id; their messages never reach the client.
 */
export function errorHandler(): Middleware<BaseState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found', 'Nothing is here.');
    } catch (raw) {
      let error: AppError | undefined;
      if (raw instanceof AppError) error = raw;
      else if (raw instanceof ZodError) {
        error = new AppError('validation_failed', 'The request is not valid; see errors for each field.', {
          errors: zodFieldErrors(raw),
        });
      } else if (raw && typeof raw === 'object') error = fromHttpError(raw as HttpLikeError);

      if (!error) {
        ctx.state.log.error({ err: raw }, 'unhandled error');
        error = new AppError('internal_error', 'Something went wrong on our side; it has been logged.');
      }
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.options.headers ?? {})) ctx.set(name, value);
      ctx.type = 'application/problem+json';
      ctx.body = problemBody(error.code, error.detail, {
        ...(error.options.errors ? { errors: error.options.errors } : {}),
        ...error.options.extensions,
        requestId: ctx.state.requestId,
      });
    }
  };
}
