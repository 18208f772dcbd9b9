import type { ServerFrame } from '../api/socket.js';
import type { Conversation, Message } from '../api/types.js';
import { storedText } from './message-text.js';

/** A message typed here that the server has not acknowledged yet (shown with a clock, re-sent on reconnect). */
export interface PendingMessage {
  clientId: string;
  /** `conversationId` of an existing conversation, or `to` for a first direct message. */
  target: { conversationId: string } | { to: string };
  text: string;
  at: string;
}

export interface Notice {
  id: string;
  message: string;
  at: string;
}

/** Everything the chat pages show, kept from REST loads and socket frames. */
export interface ChatState {
  conversations: Record<string, Conversation>;
  /** Per conversation, by seq ascending, no duplicates. */
  messages: Record<string, Message[]>;
  hasMore: Record<string, boolean>;
  pending: PendingMessage[];
  online: Record<string, boolean>;
  /** conversation -> user -> until when (ms) the typing indicator shows. */
  typing: Record<string, Record<string, number>>;
  /** message id -> the furthest receipt its sender got. */
  receipts: Record<string, 'delivered' | 'read'>;
  /** The conversation on screen: its new messages are not unread. */
  openConversation: string | null;
  notices: Notice[];
  unreadNotices: number;
}

export const initialChatState: ChatState = {
  conversations: {},
  messages: {},
  hasMore: {},
  pending: [],
  online: {},
  typing: {},
  receipts: {},
  openConversation: null,
  notices: [],
  unreadNotices: 0,
};

export type ChatAction =
  | { type: 'conversations'; items: Conversation[] }
  | { type: 'history'; conversationId: string; messages: Message[]; hasMore: boolean }
  | { type: 'pending'; message: PendingMessage }
  | { type: 'open'; conversationId: string | null }
  | { type: 'notices.read' }
  | { type: 'typing.expire'; now: number }
  | { type: 'frame'; frame: ServerFrame; me: string };

const TYPING_SHOWS_MS = 6_000;

/** Merges messages into a conversation's list: by seq, the newer copy of one id winning. */
export function mergeMessages(list: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function patchMessage(state: ChatState, conversationId: string, id: string, patch: (m: Message) => Message) {
  const list = state.messages[conversationId];
  if (list === undefined) return state;
  return {
    ...state,
    messages: { ...state.messages, [conversationId]: list.map((m) => (m.id === id ? patch(m) : m)) },
  };
}

/** A conversation's summary once `message` is in it (made up from the message if it was not listed). */
function summaryWith(
  known: Conversation | undefined,
  message: Message,
  me: string,
  counts: boolean,
): Conversation {
  const direct = message.to !== undefined;
  const base: Conversation = known ?? {
    id: message.conversationId,
    kind: direct ? 'direct' : 'group',
    channel: message.channel,
    with: direct ? (message.from === me ? message.to : message.from) : undefined,
    name: null,
    lastSeq: 0,
    lastReadSeq: 0,
    unread: 0,
    lastMessage: null,
  };
  const newer = message.seq > base.lastSeq;
  return {
    ...base,
    lastSeq: Math.max(base.lastSeq, message.seq),
    unread: base.unread + (counts && newer ? 1 : 0),
    lastMessage: message.seq >= (base.lastMessage?.seq ?? 0) ? message : base.lastMessage,
  };
}

/** A stored message arrives: listed, the conversation's last message and unread count follow. */
function receive(state: ChatState, message: Message, me: string): ChatState {
  const list = mergeMessages(state.messages[message.conversationId] ?? [], [message]);
  const counts = message.from !== me && state.openConversation !== message.conversationId;
  const conversation = summaryWith(state.conversations[message.conversationId], message, me, counts);
  const typing = { ...state.typing[message.conversationId] };
  delete typing[message.from];
  return {
    ...state,
    messages: { ...state.messages, [message.conversationId]: list },
    conversations: { ...state.conversations, [conversation.id]: conversation },
    typing: { ...state.typing, [message.conversationId]: typing },
  };
}

function onFrame(state: ChatState, frame: ServerFrame, me: string): ChatState {
  switch (frame.type) {
    case 'chat.message': {
      const { type: _type, ...message } = frame;
      return receive(state, message, me);
    }
    case 'chat.sync':
      return frame.messages.reduce((next, message) => receive(next, message, me), state);
    case 'chat.ack': {
      // The ack alone makes the message ours for good: it may come before (or instead of) our own echo.
      const sent = state.pending.find((p) => p.clientId === frame.clientId);
      const rest = { ...state, pending: state.pending.filter((p) => p !== sent) };
      if (sent === undefined) return rest;
      const { id, conversationId, seq, at } = frame;
      const to = 'to' in sent.target ? sent.target.to : undefined;
      const message: Message = {
        id,
        conversationId,
        seq,
        at,
        from: me,
        text: storedText(sent.text),
        to,
        editedAt: null,
        deleted: false,
        reactions: {},
      };
      return receive(rest, message, me);
    }
    case 'message.edited':
      return patchMessage(state, frame.conversationId, frame.id, (m) => ({
        ...m,
        text: frame.text,
        editedAt: frame.editedAt,
      }));
    case 'message.deleted':
      return patchMessage(state, frame.conversationId, frame.id, (m) => ({ ...m, deleted: true, text: '' }));
    case 'reaction':
      return patchMessage(state, frame.conversationId, frame.id, (m) => ({
        ...m,
        reactions: { ...m.reactions, [frame.emoji]: frame.count },
      }));
    case 'receipt': {
      // Read outranks delivered, whatever order the frames arrive in.
      const status = state.receipts[frame.id] === 'read' ? 'read' : frame.status;
      return { ...state, receipts: { ...state.receipts, [frame.id]: status } };
    }
    case 'typing': {
      const users = { ...state.typing[frame.conversationId] };
      if (frame.on && frame.from !== me) users[frame.from] = Date.now() + TYPING_SHOWS_MS;
      else delete users[frame.from];
      return { ...state, typing: { ...state.typing, [frame.conversationId]: users } };
    }
    case 'presence':
      return { ...state, online: { ...state.online, [frame.userId]: frame.online } };
    case 'chat.snapshot':
      return { ...state, online: Object.fromEntries(frame.online.map((id) => [id, true])) };
    case 'notification':
      if (state.notices.some((n) => n.id === frame.id)) return state;
      return {
        ...state,
        notices: [{ id: frame.id, message: frame.message, at: frame.at }, ...state.notices].slice(0, 50),
        unreadNotices: state.unreadNotices + 1,
      };
    default:
      return state;
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'conversations':
      return { ...state, conversations: Object.fromEntries(action.items.map((c) => [c.id, c])) };
    case 'history':
      return {
        ...state,
        messages: {
          ...state.messages,
          [action.conversationId]: mergeMessages(
            state.messages[action.conversationId] ?? [],
            action.messages,
          ),
        },
        hasMore: { ...state.hasMore, [action.conversationId]: action.hasMore },
      };
    case 'pending':
      return { ...state, pending: [...state.pending, action.message] };
    case 'open': {
      const id = action.conversationId;
      const known = id === null ? undefined : state.conversations[id];
      const conversations =
        known === undefined
          ? state.conversations
          : { ...state.conversations, [known.id]: { ...known, unread: 0 } };
      return { ...state, openConversation: id, conversations };
    }
    case 'notices.read':
      return { ...state, unreadNotices: 0 };
    case 'typing.expire': {
      const typing = Object.fromEntries(
        Object.entries(state.typing).map(([id, users]) => [
          id,
          Object.fromEntries(Object.entries(users).filter(([, until]) => until > action.now)),
        ]),
      );
      return { ...state, typing };
    }
    case 'frame':
      return onFrame(state, action.frame, action.me);
  }
}
