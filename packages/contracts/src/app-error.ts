import { statusOf, type HttpErrorCode } from './errors.js';

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /** Per-field problems for validation errors. */
  errors?: FieldError[];
  /** Extension members added to the problem body (RFC 9457 allows them), e.g. `challenge`. */
  extensions?: Record<string, unknown>;
}

/**
 * The one error type services throw. `code` is the stable machine code clients switch on, from the
 * contracts' catalogue, which also fixes its status; the detail is written for people and is always
 * safe to show (we never wrap internal messages).
 */
export class AppError extends Error {
  readonly expose = true;
  readonly status: number;

  constructor(
    readonly code: HttpErrorCode,
    readonly detail: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = statusOf(code);
  }
}

/** Throws `error` unless `condition` holds. */
export function assertThat(condition: unknown, error: AppError | (() => AppError)): asserts condition {
  if (!condition) throw typeof error === 'function' ? error() : error;
}

/** Common errors, named by what went wrong. */
export const Errors = {
  validation: (errors: FieldError[]) =>
    new AppError('validation_failed', 'The request is not valid; see errors for each field.', {
      errors,
    }),
  unauthorized: (code: HttpErrorCode = 'unauthorized', detail = 'Authentication is required.') =>
    new AppError(code, detail),
  forbidden: (detail = 'You are not allowed to do this.') => new AppError('forbidden', detail),
  notFound: (detail = 'Nothing is here.') => new AppError('not_found', detail),
  conflict: (code: HttpErrorCode, detail: string) => new AppError(code, detail),
  unavailable: (detail = 'A dependency is unavailable; try again shortly.', retryAfterSeconds = 5) =>
    new AppError('service_unavailable', detail, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
};
