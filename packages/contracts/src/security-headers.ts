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
