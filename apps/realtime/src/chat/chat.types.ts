import { ERROR_CATALOGUE, type Audience, type MediaView, type Role } from '@platform/contracts';

/**
 * The chat domain's vocabulary, shared by the service (`chat.service.ts`), the socket handlers and
 * the REST routes. Ids are uuids; `seq` numbers a conversation's messages from 1 without gaps (a
 * deleted message keeps its number as a tombstone).
 */

/** Who is acting: from the verified access token. Admins may delete any message. */
export interface Actor {
  userId: string;
  role: Role;
}

/**
 * Where a client frame points: the global channel, a group (by id, sent as `channel`), or the direct
 * conversation with another user (`to`). A conversation id is accepted wherever a target is.
 */
export type Target =
  | { kind: 'global' }
  | { kind: 'group'; groupId: string }
  | { kind: 'direct'; userId: string }
  | { kind: 'conversation'; conversationId: string };

export type ConversationKind = 'global' | 'direct' | 'group';
export type MemberRole = 'owner' | 'member';

/**
 * How a conversation is addressed in frames, as docs/api.md has it: `channel` is `global` or a group id;
 * `to` is the other party of a direct conversation, seen from the author (a client shows
 * `from === me ? to : from`).
 */
export type Address = { channel: string } | { to: string };

/** A message as clients see it (frames, history, search). `text` is display-safe (see `text.ts`). */
export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  /** `global`, or the group id; absent in direct conversations. */
  channel?: string;
  /** The recipient of a direct message; absent elsewhere. */
  to?: string;
  from: string;
  text: string;
  at: string;
  editedAt: string | null;
  /** Deleted messages keep their place (`seq`) with empty `text`. */
  deleted: boolean;
  /** Emoji -> how many users reacted with it. */
  reactions: Record<string, number>;
  /** The emoji the reader reacted with (maybe none) on a message with reactions, in answers to one reader. */
  myReactions?: string[];
  /** Present (true) on a message moved to the archive: read only, reactions frozen. */
  archived?: boolean;
  /** Files sent with it, in order; absent when none (and on a deleted message). */
  attachments?: MediaView[];
}

/** One line of the connect snapshot and `GET /chat/conversations`. */
export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  /** `global` or the group id. */
  channel?: string;
  /** The other user of a direct conversation. */
  with?: string;
  /** Group name (`global` for the global channel); null for direct conversations. */
  name: string | null;
  /** The caller's role in a group; null elsewhere. */
  role: MemberRole | null;
  lastSeq: number;
  lastReadSeq: number;
  /**
   * Messages after the caller's read pointer, not their own, not deleted; unread is capped at 1000
   * (UNREAD_CAP: 1000 means "1000 or more").
   */
  unread: number;
  lastMessage: MessageView | null;
}

export interface GroupView {
  id: string;
  name: string;
  createdBy: string | null;
  createdAt: string;
  members: MemberView[];
}

export interface MemberView {
  userId: string;
  displayName: string;
  role: MemberRole;
  joinedAt: string;
  lastReadSeq: number;
}

/** A page of messages, oldest first; `hasMore` says whether older (history) or newer (sync) ones remain. */
export interface MessagePage {
  conversationId: string;
  messages: MessageView[];
  hasMore: boolean;
}

/** What a send produced: the stored message, and whether it was already stored under this clientId. */
export interface SendResult {
  message: MessageView;
  duplicate: boolean;
}

/** Where a frame about a conversation goes on every instance. */
export interface Resolved {
  conversationId: string;
  kind: ConversationKind;
  address: Address;
  audience: Audience;
}

/** Codes of chat failures; the socket handlers send them as `error` frames, REST as problem+json. */
export type ChatErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'validation_failed'
  | 'conflict'
  | 'last_owner'
  | 'group_full'
  | 'message_refused'
  | 'message_held'
  // users (account standing, display names) cannot be asked right now.
  | 'service_unavailable';

/**
 * A refusal the client caused. A conversation the caller is not in answers `not_found`, exactly like a
 * missing one: ids reveal nothing. `forbidden` is for members lacking a right (editing another's message).
 */
export class ChatError extends Error {
  /** The HTTP status; null for `message_held`, which only the socket's sends produce. */
  readonly status: number | null;

  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChatError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}
