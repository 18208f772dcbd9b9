import type { Conversation, FrameOf, Message, ServerFrame } from '../sdk.js';
import { withSettledFiles, withSettledMedia } from './attachment-news.js';
import type { ChatState } from './chat-state.js';
import { storedText } from './message-text.js';
import { extendsWindow, mergeMessages } from './message-window.js';
import { withMyReactions } from './my-reactions.js';

const TYPING_SHOWS_MS = 6_000;

function patchMessage(state: ChatState, conversationId: string, id: string, patch: (m: Message) => Message) {
  const list = state.messages[conversationId];
  if (list === undefined) return state;
  return {
    ...state,
    messages: { ...state.messages, [conversationId]: list.map((m) => (m.id === id ? patch(m) : m)) },
  };
}

/** A conversation's summary once `message` is in it (made up from the message if it was not listed). */
function summaryWith(known: Conversation | undefined, message: Message, me: string, counts: boolean) {
  const direct = message.to !== undefined;
  const base: Conversation = known ?? {
    id: message.conversationId,
    kind: direct ? 'direct' : 'group',
    ...(message.channel ? { channel: message.channel } : {}),
    ...(direct ? { with: message.from === me ? message.to : message.from } : {}),
    name: null,
    role: null,
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

/** A stored message arrives: listed (when it extends the loaded window), and the summary follows. */
function receive(state: ChatState, stored: Message, me: string): ChatState {
  // An echo or a sync may carry a file as it was when the message was stored, before its news came.
  const message = withSettledFiles(stored, state.settledMedia);
  const id = message.conversationId;
  const list = state.messages[id];
  const inWindow = list !== undefined && extendsWindow(list, message.seq, state.hasNewer[id] === true);
  const counts = message.from !== me && state.openConversation !== id;
  const conversation = summaryWith(state.conversations[id], message, me, counts);
  const typing = { ...state.typing[id] };
  delete typing[message.from];
  return {
    ...state,
    myReactions: withMyReactions(state.myReactions, [message]),
    messages: inWindow ? { ...state.messages, [id]: mergeMessages(list, [message]) } : state.messages,
    conversations: { ...state.conversations, [id]: conversation },
    typing: { ...state.typing, [id]: typing },
  };
}

/** The ack makes a pending message ours for good: it may come before (or instead of) its echo. */
function acknowledged(state: ChatState, frame: FrameOf<'chat.ack'>, me: string): ChatState {
  const sent = state.pending.find((p) => p.clientId === frame.clientId);
  const rest = { ...state, pending: state.pending.filter((p) => p !== sent) };
  if (sent === undefined) return rest;
  const { id, conversationId, seq, at } = frame;
  const message: Message = {
    id,
    conversationId,
    seq,
    at,
    from: me,
    text: storedText(sent.text),
    ...('to' in sent.target ? { to: sent.target.to } : {}),
    editedAt: null,
    deleted: false,
    reactions: {},
    ...(sent.attachments && sent.attachments.length > 0 ? { attachments: sent.attachments } : {}),
  };
  return receive(rest, message, me);
}

function reacted(state: ChatState, frame: FrameOf<'reaction'>, me: string): ChatState {
  const next = patchMessage(state, frame.conversationId, frame.id, (m) => ({
    ...m,
    reactions: { ...m.reactions, [frame.emoji]: frame.count },
  }));
  if (frame.userId !== me) return next;
  const mine = { ...state.myReactions[frame.id], [frame.emoji]: frame.on };
  return { ...next, myReactions: { ...next.myReactions, [frame.id]: mine } };
}

/** A receipt from someone else moves the conversation's delivered / read mark (read implies delivered). */
function receipt(state: ChatState, frame: FrameOf<'receipt'>, me: string): ChatState {
  if (frame.userId === me) return state;
  const id = frame.conversationId;
  const delivered = { ...state.delivered, [id]: Math.max(state.delivered[id] ?? 0, frame.seq) };
  if (frame.status === 'delivered') return { ...state, delivered };
  return { ...state, delivered, read: { ...state.read, [id]: Math.max(state.read[id] ?? 0, frame.seq) } };
}

export function onFrame(state: ChatState, frame: ServerFrame, me: string): ChatState {
  switch (frame.type) {
    case 'chat.message': {
      const { type: _type, ...message } = frame;
      return receive(state, message, me);
    }
    case 'chat.ack':
      return acknowledged(state, frame, me);
    case 'message.edited':
      return patchMessage(state, frame.conversationId, frame.id, (m) => ({
        ...m,
        text: frame.text,
        editedAt: frame.editedAt,
      }));
    case 'message.deleted':
      return patchMessage(state, frame.conversationId, frame.id, (m) => ({ ...m, deleted: true, text: '' }));
    case 'chat.attachment':
      return withSettledMedia(state, [frame.attachment]);
    case 'reaction':
      return reacted(state, frame, me);
    case 'receipt':
      return receipt(state, frame, me);
    case 'typing': {
      const users = { ...state.typing[frame.conversationId] };
      if (frame.on && frame.from !== me) users[frame.from] = Date.now() + TYPING_SHOWS_MS;
      else delete users[frame.from];
      return { ...state, typing: { ...state.typing, [frame.conversationId]: users } };
    }
    case 'presence':
      return { ...state, online: { ...state.online, [frame.userId]: frame.online } };
    case 'chat.snapshot':
      return {
        ...state,
        online: { ...state.online, ...Object.fromEntries(frame.online.map((id) => [id, true])) },
      };
    case 'notification':
      if (state.notices.some((n) => n.id === frame.id)) return state;
      return {
        ...state,
        notices: [
          { id: frame.id, event: frame.event, message: frame.message, at: frame.at, read: false },
          ...state.notices,
        ].slice(0, 50),
      };
    default:
      return state;
  }
}
