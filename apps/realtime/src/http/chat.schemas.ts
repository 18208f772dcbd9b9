import { uuidSchema, type AccessClaims } from '@platform/contracts';
import { ChatError, type Actor } from '../chat/chat.types.js';

/**
 * Helpers of the chat REST routes (`chat.routes.ts`, `chat-groups.routes.ts`). The request schemas
 * themselves are the API contract's (`@platform/contracts`), shared with the OpenAPI document.
 */

/** The query as a plain object for zod; a repeated key keeps its last value. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(query);
}

/** Who is acting, from verified claims. */
export function actorOf(claims: AccessClaims): Actor {
  return { userId: claims.sub, role: claims.role };
}

/**
 * A path id must be a uuid; anything else names nothing, so it answers 404 like a missing or foreign
 * id (and never reaches the database as a malformed uuid).
 */
export function pathId(value: string | undefined, what: string): string {
  const parsed = uuidSchema.safeParse(value);
  if (!parsed.success) throw new ChatError('not_found', `No such ${what}.`);
  return parsed.data;
}

/** `/chat/groups/:id/members/:userId`: a user id, or `me` for the caller. */
export function memberId(value: string | undefined, actor: Actor): string {
  return value === 'me' ? actor.userId : pathId(value, 'member');
}
