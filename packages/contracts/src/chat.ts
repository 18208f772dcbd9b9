import { z } from 'zod';

/** The one conversation every user is in; clients name it by its channel, `global`. */
export const GLOBAL_CHANNEL = 'global';
/** Its row id, fixed by the chat migration. */
export const GLOBAL_CONVERSATION_ID = '00000000-0000-0000-0000-000000000001';

/**
 * Any 8-4-4-4-12 hex id, in either case (what `z.guid()` accepts). Not RFC 9562 `z.uuid()`: that
 * refuses the global channel's fixed id (`...0001`, no version), which clients get in frames and lists.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UUID_PATTERN for request and frame schemas. */
export const uuidSchema = z.string({ error: 'must be a uuid' }).regex(UUID_PATTERN, 'must be a uuid');

/** Most messages one history page holds (REST and the `chat.history` frame). */
export const HISTORY_PAGE = 50;
/** Most search results one call returns. */
export const SEARCH_MAX = 50;
/** Longest search query, in characters. */
export const SEARCH_QUERY_MAX = 200;
/**
 * What a conversation does with text its moderation flags: nothing (`off`), stars the offending words
 * (`mask`), keeps the message back for a moderator (`hold`), or refuses it (`refuse`).
 */
export const MODERATION_ACTIONS = ['off', 'mask', 'hold', 'refuse'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
/** Most messages a conversation summary reads (the newest N). */
export const SUMMARY_MAX_MESSAGES = 200;

/** Longest group name, in code points. */
export const MAX_GROUP_NAME = 100;

/**
 * Who on every instance receives a fanned-out frame: every socket, the sockets of these users, or the
 * sockets watching one user's presence (their contacts, and whoever subscribed to it).
 */
export const audienceSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('all') }),
  z.object({ scope: z.literal('users'), userIds: z.array(z.uuid()).max(10_000) }),
  z.object({ scope: z.literal('watchers'), userId: z.uuid() }),
]);
export type Audience = z.infer<typeof audienceSchema>;

/**
 * Payload of `chat.frame` on the `chat` fanout exchange: a server frame (docs/api.md, WebSocket frames),
 * built once by the instance where the change happened, that every instance writes to its local
 * sockets in `audience`. The frame is checked for a `type` only; its shape belongs to the realtime app.
 */
export const chatFramePayloadSchema = z.object({
  audience: audienceSchema,
  frame: z.looseObject({ type: z.string().min(1) }),
});
export type ChatFramePayload = z.infer<typeof chatFramePayloadSchema>;
