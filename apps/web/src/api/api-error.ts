/** A problem+json answer (or a network failure) as the pages see it: switch on `code`, show `detail`. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** The whole problem body, for fields some codes add (`challenge` with totp_required). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** Turns any answer that is not 2xx into an ApiError; an answer without a problem body gets a generic one. */
export async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone has to do.
  }
  const code = typeof body.code === 'string' ? body.code : 'http_error';
  const detail =
    typeof body.detail === 'string'
      ? body.detail
      : typeof body.title === 'string'
        ? body.title
        : `The server answered ${response.status}.`;
  return new ApiError(response.status, code, detail, body);
}

/** The text to show for a failure of any kind. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return 'The server cannot be reached; check your connection and try again.';
}
