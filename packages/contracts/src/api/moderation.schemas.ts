import { z } from 'zod';
import { MODERATION_ACTIONS, SUMMARY_MAX_MESSAGES, uuidSchema } from '../chat.js';
import { isoTime } from './common.schemas.js';
import { messageSchema, pageLimit } from './realtime.schemas.js';

/** Request and answer shapes of chat moderation and summaries (realtime's REST routes). */

export const summaryQuery = z.object({
  messages: pageLimit(SUMMARY_MAX_MESSAGES)
    .optional()
    .describe(`How many of the newest messages to read (default 50, at most ${SUMMARY_MAX_MESSAGES})`),
});

export const conversationSummarySchema = z.object({
  conversationId: uuidSchema,
  provider: z.string().describe('Which summary provider wrote it (`extractive` by default)'),
  messagesRead: z.number().int(),
  points: z
    .array(z.object({ messageId: uuidSchema, from: uuidSchema, at: isoTime, text: z.string() }))
    .describe('The sentences that carry the conversation, oldest first, quoted from the messages'),
});

export const moderationPolicyBody = z.strictObject({
  action: z
    .enum(MODERATION_ACTIONS)
    .nullable()
    .describe('`null` returns the conversation to the deployment default (CHAT_MODERATION_ACTION)'),
});

export const moderationPolicySchema = z.object({
  conversationId: uuidSchema,
  action: z.enum(MODERATION_ACTIONS).nullable().describe('The conversation’s own action; null = default'),
  effective: z.enum(MODERATION_ACTIONS),
});

export const heldQuery = z.object({
  limit: pageLimit(100).optional(),
  after: z.string().max(100).optional().describe('`nextAfter` of the previous page'),
});

export const heldParams = z.object({ id: uuidSchema });

export const heldMessageSchema = z.object({
  id: uuidSchema,
  conversationId: uuidSchema,
  from: uuidSchema,
  text: z.string().describe('As the author wrote it (display-safe), for the moderator'),
  terms: z.array(z.string()).describe('The words that flagged it'),
  at: isoTime,
});

export const heldPageSchema = z.object({
  items: z.array(heldMessageSchema).describe('Oldest first: a queue'),
  nextAfter: z.string().nullable(),
});

export const approvedSchema = z.object({ message: messageSchema });

export const moderationSummarySchema = z.object({
  pending: z.number().int().describe('Messages waiting for review'),
  sentiment: z.object({
    since: isoTime,
    messages: z.number().int(),
    positive: z.number().int(),
    neutral: z.number().int(),
    negative: z.number().int(),
    average: z.number().nullable().describe('Mean AFINN comparative score, about -5..5'),
  }),
});
