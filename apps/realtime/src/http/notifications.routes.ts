import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { AccessClaims } from '@platform/contracts';
import { TokenError } from '@platform/tokens';
import { presentedToken, type Authenticator } from '../services/authenticator.js';
import { toView, type NotificationsService } from '../services/notifications.service.js';
import { track, write, writeJson, writeProblem, type Tracked } from './respond.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Deps {
  authenticator: Authenticator;
  notifications: NotificationsService;
  log: Logger;
}

type Handler = (claims: AccessClaims, tracked: Tracked, params: string[]) => Promise<void>;

/**
 * Runs `handler` for a caller with a valid bearer token. Headers and parameters are copied before the
 * first await (uWS reuses the request object); failures become problem+json, never a crash.
 */
function authenticated(deps: Deps, paramCount: number, handler: Handler) {
  return (res: HttpResponse, req: HttpRequest) => {
    const authorization = req.getHeader('authorization');
    const params = Array.from({ length: paramCount }, (_, index) => req.getParameter(index));
    const tracked = track(res);
    void (async () => {
      let claims: AccessClaims;
      try {
        claims = await deps.authenticator.authenticate(presentedToken(authorization, undefined));
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        return writeProblem(tracked, 401, error.code, error.message, {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      await handler(claims, tracked, params);
    })().catch((error: unknown) => {
      deps.log.error({ err: error }, 'request failed');
      writeProblem(tracked, 500, 'internal_error', 'Something went wrong on our side.');
    });
  };
}

/** GET /notifications (the caller's last 50, newest first) and POST /notifications/:id/read (204). */
export function registerNotificationRoutes(app: TemplatedApp, deps: Deps): void {
  app.get(
    '/notifications',
    authenticated(deps, 0, async (claims, tracked) => {
      const items = await deps.notifications.listRecent(claims.sub, 50);
      writeJson(tracked, 200, { items: items.map(toView) });
    }),
  );
  app.post(
    '/notifications/:id/read',
    authenticated(deps, 1, async (claims, tracked, [id]) => {
      // Someone else's notification answers exactly like a missing one: ids reveal nothing.
      const found = id !== undefined && UUID.test(id) && (await deps.notifications.markRead(claims.sub, id));
      if (!found) return writeProblem(tracked, 404, 'not_found', 'No such notification.');
      write(tracked, 204, null);
    }),
  );
}
