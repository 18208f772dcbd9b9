import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { parseRequest } from '@platform/grpc';
import { RealtimeService } from '@platform/proto';
import type { ChatService } from '../chat/chat.service.js';
import type { ConversationSummary, MessageView, Target } from '../chat/chat.types.js';
import { conversationTarget } from '../chat/ids.js';
import type { NotificationsService } from '../services/notifications.service.js';
import { toView as notificationView } from '../services/notifications.service.js';
import type { Presence } from '../services/presence.js';
import { clientFrameSchemas } from '../ws/client-messages.js';
import { actorOf, chatCall } from './caller.js';
import { groupHandlers } from './groups.grpc.js';

export interface RealtimeGrpcDeps {
  chat: ChatService;
  notifications: NotificationsService;
  presence: Presence;
}

/** Notifications one call lists (as GET /notifications). */
const NOTIFICATIONS_MAX = 50;

function targetOf(conversationId: string, toUserId: string): Target {
  if (toUserId !== '') return { kind: 'direct', userId: toUserId };
  return conversationTarget(conversationId);
}

/**
 * The chat over gRPC with the socket's rules: the same service methods the frames call (membership,
 * authorship, admins' rights live there), the same frame schemas for what a call carries. Groups are
 * REST's (`groups.grpc.ts`).
 */
export function realtimeGrpcRoutes({ chat, notifications, presence }: RealtimeGrpcDeps) {
  return (router: ConnectRouter): void => {
    router.service(RealtimeService, {
      listConversations: (_req, ctx) =>
        chatCall(async () => ({ conversations: (await chat.snapshot(actorOf(ctx))).map(toConversation) })),
      getHistory: (req, ctx) =>
        chatCall(async () => {
          const page = await chat.history(actorOf(ctx), conversationTarget(req.conversationId), {
            ...(req.before === undefined ? {} : { before: req.before }),
            ...(req.limit > 0 ? { limit: req.limit } : {}),
          });
          return { messages: page.messages.map(toMessage), hasMore: page.hasMore };
        }),
      searchMessages: (req, ctx) =>
        chatCall(async () => {
          const found = await chat.search(actorOf(ctx), req.query, req.limit > 0 ? req.limit : undefined);
          return { messages: found.map(toMessage) };
        }),
      sendMessage: (req, ctx) =>
        chatCall(async () => {
          const frame = parseRequest(clientFrameSchemas['chat.send'], {
            text: req.text,
            clientId: req.clientId,
          });
          const target = targetOf(req.conversationId, req.toUserId);
          const sent = await chat.send(actorOf(ctx), target, frame.text, frame.clientId);
          return { message: toMessage(sent.message), duplicate: sent.duplicate };
        }),
      editMessage: (req, ctx) =>
        chatCall(async () => {
          const frame = parseRequest(clientFrameSchemas['message.edit'], {
            id: req.messageId,
            text: req.text,
          });
          return { message: toMessage(await chat.edit(actorOf(ctx), frame.id, frame.text)) };
        }),
      react: (req, ctx) =>
        chatCall(async () => {
          const frame = parseRequest(clientFrameSchemas.reaction, {
            id: req.messageId,
            emoji: req.emoji,
            on: req.on,
          });
          return chat.react(actorOf(ctx), frame.id, frame.emoji, frame.on);
        }),
      markRead: (req, ctx) =>
        chatCall(async () => {
          const frame = parseRequest(clientFrameSchemas['message.read'], { id: req.messageId });
          return chat.markRead(actorOf(ctx), frame.id);
        }),
      listNotifications: async (req, ctx) => {
        const limit = req.limit > 0 ? Math.min(req.limit, NOTIFICATIONS_MAX) : NOTIFICATIONS_MAX;
        const items = await notifications.listRecent(actorOf(ctx).userId, limit);
        return {
          notifications: items
            .map(notificationView)
            .map((n) => ({ ...n, at: timestampFromDate(new Date(n.at)) })),
        };
      },
      getPresence: async (req, ctx) => {
        actorOf(ctx);
        const frame = parseRequest(clientFrameSchemas['presence.subscribe'], { userIds: req.userIds });
        return { online: await presence.statuses(frame.userIds) };
      },
      ...groupHandlers(chat),
    });
  };
}

function toMessage(view: MessageView) {
  return {
    id: view.id,
    conversationId: view.conversationId,
    seq: view.seq,
    channel: view.channel ?? '',
    to: view.to ?? '',
    from: view.from,
    text: view.text,
    at: timestampFromDate(new Date(view.at)),
    editedAt: view.editedAt === null ? undefined : timestampFromDate(new Date(view.editedAt)),
    deleted: view.deleted,
    reactions: view.reactions,
  };
}

function toConversation(summary: ConversationSummary) {
  return {
    id: summary.id,
    kind: summary.kind,
    channel: summary.channel ?? '',
    with: summary.with ?? '',
    name: summary.name ?? '',
    role: summary.role ?? '',
    lastSeq: summary.lastSeq,
    lastReadSeq: summary.lastReadSeq,
    unread: summary.unread,
    lastMessage: summary.lastMessage === null ? undefined : toMessage(summary.lastMessage),
  };
}
