import uWS, { type TemplatedApp } from 'uWebSockets.js';
import type { ChatService } from './chat/chat.service.js';
import { registerChatRoutes } from './http/chat.routes.js';
import { registerHealthRoutes, type ReadinessCheck } from './http/health.routes.js';
import { registerNotificationRoutes } from './http/notifications.routes.js';
import { writeProblem } from './http/respond.js';
import type { NotificationsService } from './services/notifications.service.js';
import { socketBehavior, type SocketDeps } from './ws/behavior.js';

export interface AppDeps extends SocketDeps {
  notifications: NotificationsService;
  chat: ChatService;
  readiness: Record<string, ReadinessCheck>;
}

/**
 * The uWS app (never listens). Routes: GET /health, GET /ready, GET /ws (upgrade; a plain GET gets 426),
 * GET /notifications, POST /notifications/:id/read, GET /chat/conversations, GET
 * /chat/conversations/:id/messages, GET /chat/search, POST /chat/groups, GET /chat/groups/:id,
 * POST /chat/groups/:id/members, PATCH and DELETE /chat/groups/:id/members/:userId (all with a bearer
 * token); anything else 404 problem+json. `app` is given only by the test that lists what is registered.
 */
export function createApp(deps: AppDeps, app: TemplatedApp = uWS.App()): TemplatedApp {
  registerHealthRoutes(app, deps.readiness, deps.isDraining);
  registerNotificationRoutes(app, deps);
  registerChatRoutes(app, deps);
  app.ws('/ws', socketBehavior(deps));
  app.get('/ws', (res) =>
    writeProblem(res, 'upgrade_required', 'GET /ws is a WebSocket endpoint; send an Upgrade request.', {
      headers: { upgrade: 'websocket' },
    }),
  );
  app.any('/*', (res) => writeProblem(res, 'not_found', 'Nothing is here.'));
  return app;
}
