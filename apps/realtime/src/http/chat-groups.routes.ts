import type { TemplatedApp } from 'uWebSockets.js';
import { addMemberBody, createGroupBody, setRoleBody } from '@platform/contracts';
import type { ChatService } from '../chat/chat.service.js';
import { authenticated, type AuthenticatedDeps } from './authenticated.js';
import { actorOf, memberId, pathId } from './chat.schemas.js';
import { write, writeJson } from './respond.js';

interface Deps extends AuthenticatedDeps {
  chat: ChatService;
}

/**
 * Groups: POST /chat/groups (201), GET /chat/groups/:id, POST /chat/groups/:id/members (201),
 * PATCH and DELETE /chat/groups/:id/members/:userId, where `me` is the caller (DELETE me = leave).
 * Who may do what (owners add, remove and promote; the last owner stays) is the service's rule.
 */
export function registerChatGroupRoutes(app: TemplatedApp, deps: Deps): void {
  app.post(
    '/chat/groups',
    authenticated(deps, { body: true }, async (claims, tracked, { body }) => {
      const { name, members = [] } = createGroupBody.parse(body);
      writeJson(tracked, 201, await deps.chat.createGroup(actorOf(claims), name, members));
    }),
  );

  app.get(
    '/chat/groups/:id',
    authenticated(deps, { params: 1 }, async (claims, tracked, { params: [id] }) => {
      writeJson(tracked, 200, await deps.chat.group(actorOf(claims), pathId(id, 'group')));
    }),
  );

  app.post(
    '/chat/groups/:id/members',
    authenticated(deps, { params: 1, body: true }, async (claims, tracked, { params: [id], body }) => {
      const groupId = pathId(id, 'group');
      const { userId } = addMemberBody.parse(body);
      writeJson(tracked, 201, await deps.chat.addMember(actorOf(claims), groupId, userId));
    }),
  );

  app.patch(
    '/chat/groups/:id/members/:userId',
    authenticated(deps, { params: 2, body: true }, async (claims, tracked, { params: [id, user], body }) => {
      const actor = actorOf(claims);
      const groupId = pathId(id, 'group');
      const userId = memberId(user, actor);
      const { role } = setRoleBody.parse(body);
      writeJson(tracked, 200, await deps.chat.setRole(actor, groupId, userId, role));
    }),
  );

  app.del(
    '/chat/groups/:id/members/:userId',
    authenticated(deps, { params: 2 }, async (claims, tracked, { params: [id, user] }) => {
      const actor = actorOf(claims);
      await deps.chat.removeMember(actor, pathId(id, 'group'), memberId(user, actor));
      write(tracked, 204, null);
    }),
  );
}
