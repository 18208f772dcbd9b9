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
 * The one error type services throw. `code` is the stable machine code clients switch on; the
 * detail is written for people and is always safe to show (we never wrap internal messages).
 */
export class AppError extends Error {
  readonly expose = true;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

/** Throws `error` unless `condition` holds. */
export function assertThat(condition: unknown, error: AppError | (() => AppError)): asserts condition {
  if (!condition) throw typeof error === 'function' ? error() : error;
}

/** Common errors, named by what went wrong. */
export const Errors = {
  validation: (errors: FieldError[]) =>
    new AppError(400, 'validation_failed', 'The request is not valid; see errors for each field.', {
      errors,
    }),
  unauthorized: (code = 'unauthorized', detail = 'Authentication is required.') =>
    new AppError(401, code, detail),
  forbidden: (detail = 'You are not allowed to do this.') => new AppError(403, 'forbidden', detail),
  notFound: (detail = 'Nothing is here.') => new AppError(404, 'not_found', detail),
  conflict: (code: string, detail: string) => new AppError(409, code, detail),
  unavailable: (detail = 'A dependency is unavailable; try again shortly.', retryAfterSeconds = 5) =>
    new AppError(503, 'service_unavailable', detail, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
};
