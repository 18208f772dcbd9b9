import type { ErrorCode, FieldError } from '@platform/contracts';

/** A problem+json body as the services answer it (docs/api.md, Conventions). */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Codes for answers that carry no problem body (an edge or a proxy failing), by status. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 504) return 'bad_gateway';
  if (status === 503) return 'service_unavailable';
  return status >= 500 ? 'internal_error' : 'bad_request';
}

/**
 * A refusal from the API: switch on `code` (the catalogue's codes, docs/api.md). `problem` keeps the
 * whole body for extension members such as `challenge` (totp_required) or `maxAge` (step-up).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: FieldError[] | undefined;
  /** Seconds to wait, from `Retry-After` (429 rate_limited, 503 overloaded, 423 account_locked). */
  readonly retryAfter: number | undefined;
  readonly problem: ProblemBody;

  constructor(status: number, problem: ProblemBody, retryAfter?: number) {
    const code = (problem.code as ErrorCode | undefined) ?? codeForStatus(status);
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    super(`${code}: ${detail}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.requestId = problem.requestId;
    this.errors = problem.errors;
    this.retryAfter = retryAfter;
    this.problem = problem;
  }
}

/** Whether `error` is an ApiError with one of `codes`. */
export function isApiError(error: unknown, ...codes: ErrorCode[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

function retryAfterOf(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The ApiError of a failed response (its body read here). */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let problem: ProblemBody = {};
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) problem = parsed as ProblemBody;
    } catch {
      // Not JSON (an HTML error page of a proxy): the status alone decides the code.
    }
  }
  if (response.headers.get('x-request-id') && !problem.requestId)
    problem = { ...problem, requestId: response.headers.get('x-request-id') ?? undefined };
  return new ApiError(response.status, problem, retryAfterOf(response.headers));
}
