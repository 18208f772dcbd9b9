import type { TemplatedApp } from 'uWebSockets.js';
import { isUuid } from '../chat/ids.js';
import { toView, type NotificationsService } from '../services/notifications.service.js';
import { authenticated, type AuthenticatedDeps } from './authenticated.js';
import { write, writeJson, writeProblem } from './respond.js';

interface Deps extends AuthenticatedDeps {
  notifications: NotificationsService;
}

/** GET /notifications (the caller's last 50, newest first) and POST /notifications/:id/read (204). */
export function registerNotificationRoutes(app: TemplatedApp, deps: Deps): void {
  app.get(
    '/notifications',
    authenticated(deps, {}, async (claims, tracked) => {
      const items = await deps.notifications.listRecent(claims.sub, 50);
      writeJson(tracked, 200, { items: items.map(toView) });
    }),
  );
  app.post(
    '/notifications/:id/read',
    authenticated(deps, { params: 1 }, async (claims, tracked, { params: [id] }) => {
      // Someone else's notification answers exactly like a missing one: ids reveal nothing.
      const found = isUuid(id) && (await deps.notifications.markRead(claims.sub, id));
      if (!found) return writeProblem(tracked, 'not_found', 'No such notification.');
      write(tracked, 204, null);
    }),
  );
}
