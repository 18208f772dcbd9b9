import { Errors } from '@platform/contracts';
import type { GatewayContext } from '../context.js';
import { offsetAfter, offsetCursor, pageSize } from '../paging.js';
import {
  conversationView,
  messageView,
  notificationView,
  type ConversationViewModel,
  type MessageViewModel,
} from '../views.js';
import { userById } from './user-field.js';

const SEQ_PREFIX = 'seq:';

/** A message's cursor: its place in the conversation. */
const seqCursor = (seq: number) => Buffer.from(`${SEQ_PREFIX}${seq}`).toString('base64url');

function seqBefore(cursor: string | null | undefined): number | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text.slice(SEQ_PREFIX.length));
  if (!text.startsWith(SEQ_PREFIX) || !Number.isSafeInteger(seq) || seq < 1)
    throw Errors.validation([{ path: 'before', message: 'Not a cursor from a previous page.' }]);
  return seq;
}

interface SendInput {
  conversationId?: string | null;
  toUserId?: string | null;
  text: string;
  clientId: string;
}

/**
 * Chat through realtime's gRPC service. Realtime applies the socket's rules (membership, authorship,
 * admins' rights); the gateway adds only paging and the users behind ids, batched per operation.
 */
export const chatResolvers = {
  Query: {
    conversations: async (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      ctx: GatewayContext,
    ) => {
      const size = pageSize(args.first, 20);
      const offset = offsetAfter(args.after);
      const all = await ctx.loaders.conversations();
      const edges = all.slice(offset, offset + size).map((conversation, index) => ({
        cursor: offsetCursor(offset + index),
        node: conversationView(conversation),
      }));
      return {
        edges,
        pageInfo: {
          hasNextPage: offset + edges.length < all.length,
          hasPreviousPage: offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
    conversation: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      const found = (await ctx.loaders.conversations()).find((conversation) => conversation.id === id);
      return found === undefined ? null : conversationView(found);
    },
    searchMessages: async (
      _: unknown,
      args: { query: string; first?: number | null },
      ctx: GatewayContext,
    ) => {
      const limit = pageSize(args.first, 20);
      const { messages } = await ctx.backends.realtime.searchMessages(
        { query: args.query, limit },
        ctx.callOptions(),
      );
      return messages.map(messageView);
    },
    notifications: async (_: unknown, args: { first?: number | null }, ctx: GatewayContext) => {
      const limit = pageSize(args.first, 50);
      const answer = await ctx.backends.realtime.listNotifications({ limit }, ctx.callOptions());
      return answer.notifications.map(notificationView);
    },
  },
  Mutation: {
    sendMessage: async (_: unknown, { input }: { input: SendInput }, ctx: GatewayContext) => {
      const sent = await ctx.backends.realtime.sendMessage(
        {
          conversationId: input.conversationId ?? '',
          toUserId: input.toUserId ?? '',
          text: input.text,
          clientId: input.clientId,
        },
        ctx.callOptions(),
      );
      if (sent.message === undefined) throw new Error('realtime answered a send without its message');
      return { message: messageView(sent.message), duplicate: sent.duplicate };
    },
    editMessage: async (_: unknown, args: { id: string; text: string }, ctx: GatewayContext) => {
      const { message } = await ctx.backends.realtime.editMessage(
        { messageId: args.id, text: args.text },
        ctx.callOptions(),
      );
      if (message === undefined) throw new Error('realtime answered an edit without its message');
      return messageView(message);
    },
    react: (
      _: unknown,
      args: { messageId: string; emoji: string; on?: boolean | null },
      ctx: GatewayContext,
    ) =>
      ctx.backends.realtime.react(
        { messageId: args.messageId, emoji: args.emoji, on: args.on ?? true },
        ctx.callOptions(),
      ),
    markRead: (_: unknown, args: { messageId: string }, ctx: GatewayContext) =>
      ctx.backends.realtime.markRead({ messageId: args.messageId }, ctx.callOptions()),
  },
  Conversation: {
    with: (conversation: ConversationViewModel, _: unknown, ctx: GatewayContext) =>
      userById(conversation.withId, ctx),
    messages: async (
      conversation: ConversationViewModel,
      args: { last?: number | null; before?: string | null },
      ctx: GatewayContext,
    ) => {
      const limit = pageSize(args.last, 50);
      const before = seqBefore(args.before);
      const page = await ctx.backends.realtime.getHistory(
        { conversationId: conversation.id, limit, ...(before === undefined ? {} : { before }) },
        ctx.callOptions(),
      );
      const edges = page.messages.map((message) => ({
        cursor: seqCursor(message.seq),
        node: messageView(message),
      }));
      return {
        edges,
        pageInfo: {
          hasPreviousPage: page.hasMore,
          hasNextPage: before !== undefined,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
  Message: {
    author: (message: MessageViewModel, _: unknown, ctx: GatewayContext) => userById(message.authorId, ctx),
    to: (message: MessageViewModel, _: unknown, ctx: GatewayContext) => userById(message.toId, ctx),
  },
};
