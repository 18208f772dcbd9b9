import { requireCaller } from '../access.js';
import type { GatewayContext } from '../context.js';
import type { ChatFrame } from '../subscriptions/chat-feed.js';
import { userView } from '../views.js';

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const dateOrNull = (value: unknown): Date | null => (typeof value === 'string' ? new Date(value) : null);

/** A `chat.message` frame as the schema's Message (the same fields the history's messages have). */
function messageOfFrame(frame: ChatFrame) {
  const reactions = (frame.reactions ?? {}) as Record<string, number>;
  return {
    id: frame.id,
    conversationId: frame.conversationId,
    seq: frame.seq,
    authorId: frame.from,
    toId: str(frame.to),
    text: frame.text,
    at: dateOrNull(frame.at),
    editedAt: dateOrNull(frame.editedAt),
    deleted: frame.deleted === true,
    reactions: Object.entries(reactions).map(([emoji, count]) => ({ emoji, count })),
  };
}

/** Frames of `type`, in `conversationId` when one is given. */
function framesOf(type: string, conversationId: string | null | undefined) {
  return (frame: ChatFrame) =>
    frame.type === type && (conversationId == null || frame.conversationId === conversationId);
}

type Args = { conversationId?: string | null };

/**
 * Each subscription is the caller's stream of the frames their socket would get, filtered to one
 * kind; realtime chose the audience, so nobody hears of a conversation they are not in.
 */
export const subscriptionResolvers = {
  Subscription: {
    messageAdded: {
      subscribe: (_: unknown, args: Args, ctx: GatewayContext) =>
        ctx.feed.listen(requireCaller(ctx).sub, framesOf('chat.message', args.conversationId)),
      resolve: messageOfFrame,
    },
    typing: {
      subscribe: (_: unknown, args: Args, ctx: GatewayContext) =>
        ctx.feed.listen(requireCaller(ctx).sub, framesOf('typing', args.conversationId)),
      resolve: (frame: ChatFrame) => ({
        conversationId: frame.conversationId,
        userId: frame.from,
        on: frame.on === true,
      }),
    },
    receipts: {
      subscribe: (_: unknown, args: Args, ctx: GatewayContext) =>
        ctx.feed.listen(requireCaller(ctx).sub, framesOf('receipt', args.conversationId)),
      resolve: (frame: ChatFrame) => ({
        messageId: frame.id,
        conversationId: frame.conversationId,
        seq: frame.seq,
        userId: frame.userId,
        status: frame.status,
      }),
    },
    presence: {
      subscribe: (_: unknown, args: { userIds: string[] }, ctx: GatewayContext) => {
        const wanted = new Set(args.userIds.slice(0, 100));
        const accepts = (frame: ChatFrame) =>
          frame.type === 'presence' && typeof frame.userId === 'string' && wanted.has(frame.userId);
        return ctx.feed.listen(requireCaller(ctx).sub, accepts, [...wanted]);
      },
      resolve: (frame: ChatFrame) => ({ userId: frame.userId, online: frame.online === true }),
    },
    notificationAdded: {
      subscribe: (_: unknown, _args: unknown, ctx: GatewayContext) =>
        ctx.feed.listen(requireCaller(ctx).sub, (frame) => frame.type === 'notification'),
      resolve: (frame: ChatFrame) => ({ ...frame, at: dateOrNull(frame.at), read: false }),
    },
  },
  TypingEvent: {
    user: async (event: { userId: string }, _: unknown, ctx: GatewayContext) => {
      const user = await ctx.loaders.user.load(event.userId);
      return user === null ? null : userView(user);
    },
  },
};
