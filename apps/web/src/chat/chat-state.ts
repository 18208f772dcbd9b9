import type { ChatTarget } from '@platform/client';
import type { Conversation, Group, Media, Message, Notification, Person, ServerFrame } from '../sdk.js';
import { settledMessages, withSettledFiles, withSettledMedia } from './attachment-news.js';
import { onFrame } from './chat-frames.js';
import { mergeMessages } from './message-window.js';
import { withMyReactions } from './my-reactions.js';

/** A message typed here that the server has not acknowledged yet (a clock; the SDK resends it). */
export interface PendingMessage {
  clientId: string;
  /** `conversationId` of an existing conversation, or `to` for a first direct message. */
  target: Extract<ChatTarget, { conversationId: string } | { to: string }>;
  text: string;
  at: string;
  /** Files sent with it (stored uploads). */
  attachments?: Media[];
  /** The server refused it (rate limit, too long...): shown as not sent. */
  failed?: boolean;
}

/** Everything the chat pages show, kept from REST loads and socket frames. */
export interface ChatState {
  conversations: Record<string, Conversation>;
  /**
   * Per conversation, the loaded window of its history: by seq ascending, contiguous, no duplicates.
   * It reaches the newest message unless `hasNewer` (after a jump to an old message from search).
   */
  messages: Record<string, Message[]>;
  hasOlder: Record<string, boolean>;
  hasNewer: Record<string, boolean>;
  pending: PendingMessage[];
  online: Record<string, boolean>;
  /** conversation -> user -> until when (ms) the typing indicator shows. */
  typing: Record<string, Record<string, number>>;
  /** conversation -> the highest seq another member has received / read (ticks of my messages). */
  delivered: Record<string, number>;
  read: Record<string, number>;
  /** message id -> the emoji I reacted with. */
  myReactions: Record<string, Record<string, boolean>>;
  /** The conversation on screen: its new messages are not unread. */
  openConversation: string | null;
  notices: Notification[];
  /** Group details by group id (the conversation's `channel`), loaded when a group is opened. */
  groups: Record<string, Group>;
  /** Display names learnt from group member lists and `GET /people`; others are shown by a short id. */
  names: Record<string, string>;
  /** Avatar URLs (null: none) from `GET /people`. */
  avatars: Record<string, string | null>;
  /**
   * Files that finished processing (`chat.attachment`, or a re-read after a reconnect), by media id:
   * laid over any copy of a message that still says `processing` (attachment-news.ts).
   */
  settledMedia: Record<string, Media>;
}

export const initialChatState: ChatState = {
  conversations: {},
  messages: {},
  hasOlder: {},
  hasNewer: {},
  pending: [],
  online: {},
  typing: {},
  delivered: {},
  read: {},
  myReactions: {},
  openConversation: null,
  notices: [],
  groups: {},
  names: {},
  avatars: {},
  settledMedia: {},
};

export type ChatAction =
  | { type: 'conversations'; items: Conversation[] }
  | {
      type: 'history';
      conversationId: string;
      messages: Message[];
      hasOlder: boolean;
      /** A window around an old message: it replaces what was loaded, and newer pages follow on demand. */
      replace?: { hasNewer: boolean };
    }
  | { type: 'newer'; conversationId: string; messages: Message[]; hasNewer: boolean }
  | { type: 'pending'; message: PendingMessage }
  | { type: 'pending.failed'; clientId: string }
  | { type: 'open'; conversationId: string | null }
  | { type: 'notices'; items: Notification[] }
  | { type: 'notice.read'; id: string }
  | { type: 'group'; group: Group }
  | { type: 'people'; people: Person[] }
  | { type: 'left'; conversationId: string }
  | { type: 'typing.expire'; now: number }
  /** Files read again after a reconnect (GET /media/:id): the settled ones replace their `processing` copies. */
  | { type: 'media'; items: Media[] }
  | { type: 'frame'; frame: ServerFrame; me: string };

/** Notifications not read yet. */
export function unreadNotices(state: ChatState): number {
  return state.notices.filter((n) => !n.read).length;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function withHistory(state: ChatState, action: Extract<ChatAction, { type: 'history' }>): ChatState {
  const id = action.conversationId;
  const base = action.replace ? [] : (state.messages[id] ?? []);
  const page = settledMessages(action.messages, state.settledMedia);
  return {
    ...state,
    myReactions: withMyReactions(state.myReactions, action.messages),
    messages: { ...state.messages, [id]: mergeMessages(base, page) },
    hasOlder: { ...state.hasOlder, [id]: action.hasOlder },
    hasNewer: action.replace ? { ...state.hasNewer, [id]: action.replace.hasNewer } : state.hasNewer,
  };
}

function withoutConversation(state: ChatState, conversationId: string): ChatState {
  const left = state.conversations[conversationId];
  return {
    ...state,
    conversations: withoutKey(state.conversations, conversationId),
    messages: withoutKey(state.messages, conversationId),
    groups: left?.channel ? withoutKey(state.groups, left.channel) : state.groups,
  };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'conversations':
      return {
        ...state,
        conversations: Object.fromEntries(
          action.items.map((c) => [
            c.id,
            c.lastMessage ? { ...c, lastMessage: withSettledFiles(c.lastMessage, state.settledMedia) } : c,
          ]),
        ),
        myReactions: withMyReactions(
          state.myReactions,
          action.items.map((c) => c.lastMessage),
        ),
      };
    case 'history':
      return withHistory(state, action);
    case 'newer': {
      const id = action.conversationId;
      return {
        ...state,
        messages: {
          ...state.messages,
          [id]: mergeMessages(state.messages[id] ?? [], settledMessages(action.messages, state.settledMedia)),
        },
        hasNewer: { ...state.hasNewer, [id]: action.hasNewer },
        myReactions: withMyReactions(state.myReactions, action.messages),
      };
    }
    case 'pending':
      return { ...state, pending: [...state.pending, action.message] };
    case 'pending.failed':
      return {
        ...state,
        pending: state.pending.map((p) => (p.clientId === action.clientId ? { ...p, failed: true } : p)),
      };
    case 'open': {
      const id = action.conversationId;
      const known = id === null ? undefined : state.conversations[id];
      const conversations =
        known === undefined
          ? state.conversations
          : { ...state.conversations, [known.id]: { ...known, unread: 0 } };
      return { ...state, openConversation: id, conversations };
    }
    case 'notices':
      return { ...state, notices: action.items };
    case 'notice.read':
      return {
        ...state,
        notices: state.notices.map((n) => (n.id === action.id ? { ...n, read: true } : n)),
      };
    case 'group': {
      const names = { ...state.names };
      for (const member of action.group.members) names[member.userId] = member.displayName;
      return { ...state, groups: { ...state.groups, [action.group.id]: action.group }, names };
    }
    case 'people': {
      const names = { ...state.names };
      const avatars = { ...state.avatars };
      for (const person of action.people) {
        names[person.id] = person.displayName;
        avatars[person.id] = person.avatarUrl;
      }
      return { ...state, names, avatars };
    }
    case 'left':
      return withoutConversation(state, action.conversationId);
    case 'typing.expire': {
      const typing = Object.fromEntries(
        Object.entries(state.typing).map(([id, users]) => [
          id,
          Object.fromEntries(Object.entries(users).filter(([, until]) => until > action.now)),
        ]),
      );
      return { ...state, typing };
    }
    case 'media':
      return withSettledMedia(state, action.items);
    case 'frame':
      return onFrame(state, action.frame, action.me);
  }
}
