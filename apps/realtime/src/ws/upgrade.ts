import type { HttpRequest, HttpResponse, us_socket_context_t } from 'uWebSockets.js';
import { statusOf, type AccessClaims, type HttpErrorCode } from '@platform/contracts';
import { TokenError } from '@platform/tokens';
import { track, writeProblem, type Tracked } from '../http/respond.js';
import type { RealtimeMetrics } from '../metrics.js';
import { presentedToken, type Authenticator, type Verified } from '../services/authenticator.js';
import type { SocketData } from './frames.js';

export interface UpgradeDeps {
  authenticator: Authenticator;
  metrics: RealtimeMetrics;
  /** Exact allowed origins; empty allows all. */
  allowedOrigins: readonly string[];
  isDraining: () => boolean;
}

/**
 * Browsers send Origin on every WebSocket handshake and let any page open one, with the user's
 * credentials in a query parameter: refusing foreign origins is what stops cross-site WebSocket
 * hijacking. Clients that are not browsers send no Origin and are not that threat.
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return origin === '' || allowed.length === 0 || allowed.includes(origin.replace(/\/$/, ''));
}

function socketData(claims: AccessClaims): SocketData {
  return {
    userId: claims.sub,
    sessionId: claims.sid,
    role: claims.role,
    bucket: null,
    rateLimitNoticeAt: 0,
    sent: null,
    closed: false,
    slow: false,
    typingBucket: null,
    chain: null,
    pending: 0,
    watching: null,
  };
}

/**
 * The `upgrade` handler: every refusal is an HTTP answer (problem+json) before any WebSocket exists.
 *
 * The token is checked synchronously (signature, then the in-memory denylist mirror) and the socket is
 * upgraded right here, inside uWS's own corked callback. Only while the mirror is not current (start-up,
 * a Redis reconnect) does the check go to Redis and the upgrade happen later, corked by hand: that path
 * carries a uWS bug that sometimes drops the new socket ~1 ms after the 101 (README, "uWS notes").
 */
export function upgradeHandler(deps: UpgradeDeps) {
  const { authenticator, metrics, allowedOrigins, isDraining } = deps;
  const refuse = (res: HttpResponse | Tracked, code: HttpErrorCode, detail: string) => {
    metrics.upgradesRejected.inc({ code });
    writeProblem(
      res,
      code,
      detail,
      statusOf(code) === 401 ? { headers: { 'www-authenticate': 'Bearer' } } : {},
    );
  };
  return (res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void => {
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const origin = req.getHeader('origin');
    const token = presentedToken(req.getHeader('authorization'), req.getQuery('access_token'));
    if (isDraining()) return refuse(res, 'shutting_down', 'This instance is shutting down; reconnect.');
    if (!originAllowed(origin, allowedOrigins)) {
      return refuse(res, 'forbidden', 'This origin may not open a socket.');
    }
    if (!token) return refuse(res, 'unauthorized', 'An access token is required.');
    // No compression is configured, so no extension is negotiated: the client's offer is never echoed.
    const upgrade = (claims: AccessClaims) =>
      res.upgrade(socketData(claims), key, protocol, '', context);
    let verified: Verified;
    try {
      verified = authenticator.verify(token);
    } catch (error) {
      if (error instanceof TokenError) return refuse(res, error.code, error.message);
      return refuse(res, 'service_unavailable', 'Cannot check the access token right now; retry.');
    }
    if (verified.revoked === false) return void upgrade(verified.claims);
    metrics.upgradesDeferred.inc();
    const tracked = track(res);
    authenticator.settle(verified).then(
      (claims) => {
        // From a macrotask of its own, never from inside another socket's callback.
        setImmediate(() => {
          if (tracked.aborted) return;
          tracked.done = true;
          res.cork(() => upgrade(claims));
        });
      },
      (error: unknown) => {
        if (error instanceof TokenError) return refuse(tracked, error.code, error.message);
        refuse(tracked, 'service_unavailable', 'Cannot check the access token right now; retry.');
      },
    );
  };
}
