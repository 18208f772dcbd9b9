import type { TemplatedApp } from 'uWebSockets.js';
import {
  can,
  heldQuery,
  moderationPolicyBody,
  summaryQuery,
  type AccessClaims,
  type AuditContext,
} from '@platform/contracts';
import type { ChatService } from '../chat/chat.service.js';
import { ChatError } from '../chat/chat.types.js';
import { conversationTarget } from '../chat/ids.js';
import { authenticated, type AuthenticatedDeps, type RouteInput } from './authenticated.js';
import { actorOf, pathId, queryObject } from './chat.schemas.js';
import { write, writeJson } from './respond.js';

interface Deps extends AuthenticatedDeps {
  chat: ChatService;
}

/** Holders of `chat:moderate` (admins) pass; anyone else gets 403 before anything is read. */
function moderator(claims: AccessClaims) {
  if (!can(claims.role, 'chat:moderate')) throw new ChatError('forbidden', 'Moderators only.');
  return actorOf(claims);
}

/**
 * Who acted, for the audit record. Realtime trusts no forwarded address (it has no proxy-hop setting),
 * so the IP is left out rather than recorded as the edge's; the request id ties it to the edge's log.
 */
function auditOf(claims: AccessClaims, input: RouteInput): AuditContext {
  return {
    service: 'realtime',
    requestId: input.requestId,
    ip: null,
    userAgent: input.userAgent,
    actorId: claims.sub,
  };
}

/**
 * GET /chat/conversations/:id/summary (members), and for moderators: PUT
 * /chat/conversations/:id/moderation, GET /chat/moderation/held, POST .../held/:id/approve|reject,
 * GET /chat/moderation/summary. A moderator sets the policy of any conversation by id, also one
 * they are not in.
 */
export function registerModerationRoutes(app: TemplatedApp, deps: Deps): void {
  app.get(
    '/chat/conversations/:id/summary',
    authenticated(deps, { params: 1 }, async (claims, tracked, { params: [id], query }) => {
      const { messages } = summaryQuery.parse(queryObject(query));
      const target = conversationTarget(id);
      writeJson(tracked, 200, await deps.chat.moderation.summarize(actorOf(claims), target, messages));
    }),
  );

  app.put(
    '/chat/conversations/:id/moderation',
    authenticated(deps, { params: 1, body: true }, async (claims, tracked, input) => {
      moderator(claims);
      const { action } = moderationPolicyBody.parse(input.body);
      const target = conversationTarget(input.params[0] ?? '');
      const policy = await deps.chat.moderation.setPolicy(auditOf(claims, input), target, action);
      writeJson(tracked, 200, policy);
    }),
  );

  app.get(
    '/chat/moderation/held',
    authenticated(deps, {}, async (claims, tracked, { query }) => {
      moderator(claims);
      const { limit = 50, after } = heldQuery.parse(queryObject(query));
      writeJson(tracked, 200, await deps.chat.moderation.pending(limit, after));
    }),
  );

  app.post(
    '/chat/moderation/held/:id/approve',
    authenticated(deps, { params: 1 }, async (claims, tracked, input) => {
      const actor = moderator(claims);
      const id = pathId(input.params[0] ?? '', 'held message');
      const message = await deps.chat.moderation.approve(auditOf(claims, input), actor, id);
      writeJson(tracked, 200, { message });
    }),
  );

  app.post(
    '/chat/moderation/held/:id/reject',
    authenticated(deps, { params: 1 }, async (claims, tracked, input) => {
      const actor = moderator(claims);
      const id = pathId(input.params[0] ?? '', 'held message');
      await deps.chat.moderation.reject(auditOf(claims, input), actor, id);
      write(tracked, 204, null);
    }),
  );

  app.get(
    '/chat/moderation/summary',
    authenticated(deps, {}, async (claims, tracked) => {
      moderator(claims);
      writeJson(tracked, 200, await deps.chat.moderation.summary());
    }),
  );
}
