import type { z } from 'zod';
import type { MediaView } from './api/media.schemas.js';
import type { conversationListSchema, messageSchema } from './api/realtime.schemas.js';
import type { ErrorCode } from './errors.js';

/**
 * The WebSocket protocol of `GET /ws` as types (docs/api.md, WebSocket): what a client sends and what
 * it receives. The realtime tier checks at compile time that every frame it sends is one of these
 * (`apps/realtime/src/ws/frames.ts`), and the client SDK switches on them.
 */

/** A stored message as frames carry it (the REST answers' `messageSchema`). */
export type ChatMessage = z.output<typeof messageSchema>;
/** One line of the connect snapshot (and of `GET /chat/conversations`). */
export type ConversationLine = z.output<typeof conversationListSchema>['items'][number];

/**
 * Where a client frame points: `channel` (`global` or a group id), `to` (a user: the direct
 * conversation with them) or a `conversationId` from an earlier frame; none means `global`.
 */
export type ChatTarget = { channel: string } | { to: string } | { conversationId: string };

/** How the server addresses a conversation in `typing`: its channel, or the other party of a direct one. */
type Address = { channel: string } | { to: string };

interface MessageRef {
  id: string;
  conversationId: string;
  seq: number;
}

/** Every frame the server sends. */
export type ServerFrame =
  | { type: 'pong' }
  /** `ref` echoes the request's `clientId` (chat.send) or message `id`. */
  | { type: 'error'; code: ErrorCode; detail: string; ref?: string }
  | { type: 'notification'; id: string; event: string; message: string; at: string }
  | ({ type: 'chat.message' } & ChatMessage)
  | { type: 'chat.ack'; clientId: string; id: string; conversationId: string; seq: number; at: string }
  | ({ type: 'message.edited'; text: string; editedAt: string } & MessageRef)
  | ({ type: 'message.deleted'; deletedBy: string } & MessageRef)
  /** A file of the message was processed: its fresh metadata (`status` ready or failed, thumbnail). */
  | ({ type: 'chat.attachment'; attachment: MediaView } & MessageRef)
  | ({ type: 'reaction'; emoji: string; userId: string; on: boolean; count: number } & MessageRef)
  | ({ type: 'receipt'; userId: string; status: 'delivered' | 'read' } & MessageRef)
  | ({ type: 'typing'; conversationId: string; from: string; on: boolean } & Address)
  | { type: 'presence'; userId: string; online: boolean }
  | {
      type: 'chat.member';
      conversationId: string;
      channel: string;
      userId: string;
      role: 'owner' | 'member' | null;
      event: 'joined' | 'left' | 'removed' | 'role_changed';
      by: string;
    }
  | { type: 'chat.history'; conversationId: string; messages: ChatMessage[]; hasMore: boolean }
  | { type: 'chat.sync'; conversationId: string; messages: ChatMessage[]; hasMore: boolean }
  | { type: 'chat.snapshot'; conversations: ConversationLine[]; online: string[] };

export type ServerFrameType = ServerFrame['type'];

/** Every frame a client may send; a target is optional where the protocol defaults to `global`. */
export type ClientFrame =
  | { type: 'ping' }
  /** `attachments`: up to 10 of the sender's own uploads (POST /media); `text` may then be empty. */
  | ({ type: 'chat.send'; text: string; clientId: string; attachments?: string[] } & Partial<ChatTarget>)
  | ({ type: 'typing'; on: boolean } & Partial<ChatTarget>)
  | { type: 'message.read'; id: string }
  | { type: 'message.edit'; id: string; text: string }
  | { type: 'message.delete'; id: string }
  | { type: 'reaction'; id: string; emoji: string; on: boolean }
  | ({ type: 'chat.history'; before?: number; limit?: number } & Partial<ChatTarget>)
  | { type: 'chat.sync'; conversations: { id: string; after: number }[] }
  | { type: 'presence.subscribe'; userIds: string[] }
  | { type: 'presence.unsubscribe'; userIds: string[] };

/** Close codes of `/ws` besides the standard ones. */
export const WS_CLOSE_CODES = {
  /** The instance is going away: reconnect (to another instance). */
  goingAway: 1001,
  /** The session was logged out or revoked: sign in again. */
  sessionEnded: 4001,
  /** The client read too slowly (its backlog passed WS_MAX_BACKPRESSURE_BYTES): reconnect. */
  slowConsumer: 4008,
} as const;

/** Most conversations one `chat.sync` may name, and most user ids one presence frame may carry. */
export const WS_LIMITS = { syncConversations: 50, presenceUserIds: 100 } as const;
