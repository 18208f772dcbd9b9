import type { HandlerContext } from '@connectrpc/connect';

/**
 * Where the end user's request came from, as the caller that got it over HTTP (the GraphQL gateway)
 * forwards it: the owning service audits a write with the same request id, IP and user agent as a
 * REST call would have. Internal metadata only: the edge never routes gRPC, so no client sets it.
 */
export interface RequestOrigin {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

const REQUEST_ID = 'x-request-id';
const CLIENT_IP = 'x-client-ip';
const CLIENT_USER_AGENT = 'x-client-user-agent';

/** Headers that forward `origin` on a call (merge them into the call's `headers`). */
export function originHeaders(origin: Partial<RequestOrigin>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (origin.requestId) headers[REQUEST_ID] = origin.requestId;
  if (origin.ip) headers[CLIENT_IP] = origin.ip;
  if (origin.userAgent) headers[CLIENT_USER_AGENT] = origin.userAgent.slice(0, 500);
  return headers;
}

/** The request origin a call forwarded; nulls for what it did not send. */
export function originOf(ctx: HandlerContext): RequestOrigin {
  return {
    requestId: ctx.requestHeader.get(REQUEST_ID),
    ip: ctx.requestHeader.get(CLIENT_IP),
    userAgent: ctx.requestHeader.get(CLIENT_USER_AGENT),
  };
}
