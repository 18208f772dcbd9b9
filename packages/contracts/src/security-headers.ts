/**
 * The policy for anything that is not a document: JSON answers are never rendered, framed, or allowed to
 * load anything, so a response that a browser is tricked into opening as a page stays inert.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * HSTS, sent by whatever terminates TLS (the local edge with a certificate in production; ingress-nginx
 * in Kubernetes, which adds it on TLS hosts by default), never by a service on plain HTTP behind it.
 * One year, subdomains included. Not in development: it would pin `localhost` to HTTPS for a year.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * The headers every HTTP response of the platform carries: the Koa kit's, the socket tier's REST routes'
 * and the local edge's own. A route that serves an HTML document replaces the CSP with its own.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': API_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Older browsers ignore frame-ancestors; this says the same to them.
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** A `Host` header value fit to name in a policy: a name or IP literal and an optional port, nothing else. */
const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9.-]{0,252})|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/**
 * The policy of the web app's documents: everything from the app's own origin, no inline script or
 * style, images also as `data:` (the 2FA QR code), and the socket at the same host. `connect-src 'self'`
 * covers `ws(s):` to the same host only in CSP Level 3 browsers, so the socket origin is named as well;
 * `host` is the request's Host header and is left out unless it is a plain host[:port].
 */
export function webAppContentSecurityPolicy(host: string | undefined, secure: boolean): string {
  const socket = host !== undefined && HOST_PATTERN.test(host) ? ` ${secure ? 'wss' : 'ws'}://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
