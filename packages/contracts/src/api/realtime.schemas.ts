import { z } from 'zod';
import { HISTORY_PAGE, MAX_GROUP_NAME, SEARCH_MAX, SEARCH_QUERY_MAX, uuidSchema } from '../chat.js';
import { isoTime } from './common.schemas.js';
import { mediaSchema } from './media.schemas.js';

/** Request shapes of realtime's REST routes (its handlers parse with these), then its answers. */

/**
 * Query values arrive as text; only plain decimal digits count as a number. Out of range is refused
 * here (400); the service's own `clamp`/`wholeNumber` guard callers without a schema (frames, tests).
 */
const wholeNumberText = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number);

/** A page size from the query string: a whole number within 1..max. */
export const pageLimit = (max: number) => wholeNumberText.pipe(z.number().min(1).max(max));

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

// Path parameters: the handlers check them themselves, answering 404 for an id that cannot exist.

export const notificationParams = z.object({ id: uuidSchema });
export const conversationParams = z.object({
  id: z.union([z.literal('global'), uuidSchema]).describe('`global` or a conversation id'),
});
export const groupParams = z.object({ id: uuidSchema });
export const memberParams = z.object({
  id: uuidSchema,
  userId: z.union([z.literal('me'), uuidSchema]).describe('A user id, or `me` for the caller'),
});

// Answers.

export const notificationListSchema = z.object({
  items: z.array(
    z.object({ id: uuidSchema, event: z.string(), message: z.string(), at: isoTime, read: z.boolean() }),
  ),
});

const memberRole = z.enum(['owner', 'member']);

/** A message as clients see it (`MessageView` in the realtime app). */
export const messageSchema = z.object({
  id: uuidSchema,
  conversationId: uuidSchema,
  seq: z.number().int().describe('1, 2, 3... per conversation, without gaps'),
  channel: z.string().optional().describe('`global` or the group id; absent in direct conversations'),
  to: uuidSchema.optional().describe('The recipient of a direct message'),
  from: uuidSchema,
  text: z.string(),
  at: isoTime,
  editedAt: isoTime.nullable(),
  deleted: z.boolean(),
  reactions: z.record(z.string(), z.number().int()),
  myReactions: z
    .array(z.string())
    .optional()
    .describe(
      'The emoji the caller reacted with, on a message with reactions, in answers to one caller (history, sync, search, snapshot); absent in live frames',
    ),
  archived: z
    .boolean()
    .optional()
    .describe('Present (true) on a message moved to the archive: read only, reactions frozen'),
  /** Files sent with the message (POST /media uploads), in order; absent when there are none. */
  attachments: z.array(mediaSchema).optional(),
});

export const conversationListSchema = z.object({
  items: z.array(
    z.object({
      id: uuidSchema,
      kind: z.enum(['global', 'direct', 'group']),
      channel: z.string().optional(),
      with: uuidSchema.optional(),
      name: z.string().nullable(),
      role: memberRole.nullable(),
      lastSeq: z.number().int(),
      lastReadSeq: z.number().int(),
      unread: z.number().int().describe('Capped at 1000'),
      lastMessage: messageSchema.nullable(),
    }),
  ),
});

export const historyPageSchema = z.object({
  conversationId: uuidSchema,
  messages: z.array(messageSchema).describe('Oldest first'),
  hasMore: z.boolean(),
  nextBefore: z.number().int().nullable().describe('Pass as `before` for the next (older) page'),
});

export const searchResultSchema = z.object({ items: z.array(messageSchema) });

export const memberSchema = z.object({
  userId: uuidSchema,
  displayName: z.string(),
  role: memberRole,
  joinedAt: isoTime,
  lastReadSeq: z.number().int(),
});

export const groupSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  createdBy: uuidSchema.nullable(),
  createdAt: isoTime,
  members: z.array(memberSchema),
});
