import { REASON_PHRASES } from './reason-phrases.js';

/** One entry of the catalogue: the status an HTTP answer carries and a short title for people. */
export interface ErrorEntry {
  /** The HTTP status; `null` for codes only the socket sends, as `error` frames. */
  status: number | null;
  title: string;
}

/**
 * Every error `code` the platform answers with, REST and socket alike. Clients switch on `code`;
 * its status never changes, so a code means one thing wherever it appears. docs/api.md lists this
 * table (a test keeps them equal).
 */
export const ERROR_CATALOGUE = {
  account_exists: { status: 409, title: 'An account with this email exists; sign in to link it' },
  account_locked: { status: 423, title: 'Sign-in is locked for a while' },
  bad_gateway: { status: 502, title: 'The service behind the edge did not answer properly' },
  bad_json: { status: null, title: 'The frame is not valid JSON' },
  bad_request: { status: 400, title: 'The request cannot be understood' },
  code_mismatch: { status: 400, title: 'The code does not match' },
  code_reused: { status: 401, title: 'The code was already used' },
  conflict: { status: 409, title: 'The resource changed meanwhile or already exists' },
  csrf_failed: { status: 403, title: 'The request failed the cross-site request check' },
  email_not_verified: { status: 403, title: 'The email address must be verified first' },
  email_required: { status: 400, title: 'The provider shared no usable email address' },
  email_taken: { status: 409, title: 'An account with this email already exists' },
  file_too_large: { status: 413, title: 'The file is larger than its kind allows' },
  forbidden: { status: 403, title: 'Not allowed' },
  group_full: { status: 409, title: 'The group has the most members it may have' },
  identity_taken: { status: 409, title: 'The identity is linked to another account' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  invalid_challenge: { status: 401, title: 'The sign-in challenge is invalid or expired' },
  invalid_code: { status: 401, title: 'The second-factor code is not valid' },
  invalid_credentials: { status: 401, title: 'Email or password is wrong' },
  invalid_current_password: { status: 400, title: 'The current password is wrong' },
  invalid_email: { status: 400, title: 'The email address is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_link: { status: 400, title: 'The link is invalid, used or expired' },
  invalid_return_to: { status: 400, title: 'The return address is not allowed' },
  invalid_state: { status: 400, title: 'The sign-in was not started here, expired or was already used' },
  invalid_token: { status: 401, title: 'The token is not valid' },
  last_admin: { status: 409, title: 'The last active admin must stay' },
  last_owner: { status: 409, title: 'A group needs an owner' },
  last_sign_in_method: { status: 409, title: 'The only way to sign in cannot be removed' },
  message_held: { status: null, title: 'The message is held for a moderator to review' },
  message_refused: { status: 422, title: 'The conversation does not accept this text' },
  method_not_allowed: { status: 405, title: 'The method is not allowed here' },
  not_acceptable: { status: 406, title: 'No acceptable representation' },
  not_found: { status: 404, title: 'Nothing is here' },
  not_implemented: { status: 501, title: 'Not implemented' },
  not_ready: { status: 503, title: 'The service is not ready' },
  oauth_error: { status: 400, title: 'The sign-in with the provider failed' },
  oauth_provider_error: { status: 502, title: 'The provider did not answer properly' },
  overloaded: { status: 503, title: 'Too busy; retry after the given time' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  provider_already_linked: { status: 409, title: 'Another account of this provider is linked' },
  query_too_costly: { status: 400, title: 'The GraphQL query would cost more than allowed' },
  query_too_deep: { status: 400, title: 'The GraphQL query nests deeper than allowed' },
  quota_exceeded: { status: 413, title: 'The upload would exceed your storage quota' },
  range_not_satisfiable: { status: 416, title: 'The requested range is outside the content' },
  rate_limited: { status: 429, title: 'Too many requests' },
  reauthentication_required: {
    status: 401,
    title: 'Confirm who you are again (password or code) to do this',
  },
  service_unavailable: { status: 503, title: 'A dependency is unavailable; retry shortly' },
  shutting_down: { status: 503, title: 'The instance is shutting down; reconnect' },
  token_expired: { status: 401, title: 'The token has expired' },
  token_reused: { status: 401, title: 'A rotated refresh token was reused; the session is revoked' },
  token_revoked: { status: 401, title: 'The token has been revoked' },
  totp_already_enabled: { status: 409, title: 'Two-factor authentication is already on' },
  totp_not_enabled: { status: 409, title: 'Two-factor authentication is off' },
  totp_not_pending: { status: 409, title: 'No two-factor setup is waiting for confirmation' },
  totp_required: { status: 401, title: 'A second factor is required' },
  type_mismatch: { status: 400, title: 'The content is not what its name or declared type says' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  unavailable: { status: null, title: 'The request cannot be served right now; retry' },
  unknown_provider: { status: 404, title: 'No such sign-in provider' },
  unknown_type: { status: null, title: 'The frame type is unknown' },
  unsupported_media_type: { status: 415, title: 'The content type is not accepted here' },
  upgrade_required: { status: 426, title: 'This endpoint needs a WebSocket upgrade' },
  user_deleted: { status: 409, title: 'The user is deleted' },
  validation_failed: { status: 400, title: 'The request is not valid' },
  weak_password: { status: 400, title: 'The password is too weak' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Codes an HTTP answer may carry (everything but the socket-only frame codes). */
export type HttpErrorCode = {
  [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['status'] extends number ? C : never;
}[ErrorCode];

/** The HTTP status of a code, from the catalogue. */
export function statusOf(code: HttpErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** The standard reason phrase of a status (a problem body's `title`). */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Error';
}
