import { z } from 'zod';
import type { AccessClaims } from '@platform/contracts';
import { HISTORY_PAGE, SEARCH_MAX, SEARCH_QUERY_MAX } from '../chat/chat.service.js';
import { ChatError, type Actor } from '../chat/chat.types.js';
import { MAX_GROUP_NAME } from '../chat/groups.service.js';
import { uuidSchema } from '../chat/ids.js';

/** Request shapes of the chat REST routes (`chat.routes.ts`, `chat-groups.routes.ts`). */

/**
 * Query values arrive as text; only plain decimal digits count as a number. Out of range is refused
 * here (400); the service's own `clamp`/`wholeNumber` guard callers without a schema (frames, tests).
 */
const wholeNumberText = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number);

const pageLimit = (max: number) => wholeNumberText.pipe(z.number().min(1).max(max));

export const historyQuery = z.object({
  before: wholeNumberText.pipe(z.number().min(1)).optional(),
  limit: pageLimit(HISTORY_PAGE).optional(),
});

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(SEARCH_QUERY_MAX),
  limit: pageLimit(SEARCH_MAX).optional(),
});

/** Control characters and bidi overrides would make a name display differently from what it is. */
const groupName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  // Code points, as the service counts them: an emoji costs one.
  .refine((name) => [...name].length <= MAX_GROUP_NAME, `must be at most ${MAX_GROUP_NAME} characters`)
  .regex(/^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u, 'must not contain control characters');

export const createGroupBody = z.strictObject({
  name: groupName,
  members: z.array(uuidSchema).optional(),
});

export const addMemberBody = z.strictObject({ userId: uuidSchema });

export const setRoleBody = z.strictObject({ role: z.enum(['owner', 'member']) });

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
