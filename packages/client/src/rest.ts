import { TOKEN_TRANSPORT_HEADER } from '@platform/contracts';
import { ApiError, isApiError } from './api-error.js';
import type { Http, Outgoing } from './http.js';
import { OPERATIONS, type OperationId, type RequestOf, type ResponseOf, type RestApi } from './operations.js';
import type { Session } from './session.js';

/** Refusals of an access token that a refresh may cure; anything else is the caller's to handle. */
const STALE_TOKEN = ['token_expired', 'invalid_token', 'token_revoked'] as const;

/** Routes that start a session: in cookie mode they ask for the refresh token as a cookie. */
const SIGN_IN_ROUTES = new Set<OperationId>(['login', 'loginSecondFactor', 'finishOAuth']);

/**
 * Calls one REST route by its operation id with the signed-in user's access token. A route that needs
 * a signed-in caller gets a valid token first (refreshed when it is about to expire); a `401
 * token_expired` (or a token otherwise gone stale) is refreshed once and the call retried once.
 */
export async function callOperation<Op extends OperationId>(
  http: Http,
  session: Session,
  operationId: Op,
  input: RequestOf<Op> | undefined,
): Promise<ResponseOf<Op>> {
  const contract = OPERATIONS[operationId];
  const signedIn = contract.access.kind !== 'public';
  const parts = (input ?? {}) as Pick<Outgoing, 'params' | 'query' | 'body'>;
  const headers: Record<string, string> =
    session.transport === 'cookie' && SIGN_IN_ROUTES.has(operationId)
      ? { [TOKEN_TRANSPORT_HEADER]: 'cookie' }
      : {};
  const token = signedIn ? await session.valid() : session.current();
  if (signedIn && !token) throw new ApiError(401, { code: 'unauthorized', detail: 'Sign in first.' });
  try {
    return (await http.send(contract, { ...parts, headers, token })) as ResponseOf<Op>;
  } catch (error) {
    if (!token || !isApiError(error, ...STALE_TOKEN)) throw error;
    const fresh = await session.refresh(token);
    if (!fresh) throw error;
    return (await http.send(contract, { ...parts, headers, token: fresh })) as ResponseOf<Op>;
  }
}

/** One typed method per operation id: `api.getProfile()`, `api.updateProfile({ body })`... */
export function restApi(http: Http, session: Session): RestApi {
  const entries = (Object.keys(OPERATIONS) as OperationId[]).map((operationId) => [
    operationId,
    (input?: RequestOf<typeof operationId>) => callOperation(http, session, operationId, input),
  ]);
  // fromEntries types a plain record; the mapped type is what it builds, one call per operation id.
  return Object.fromEntries(entries) as RestApi;
}
