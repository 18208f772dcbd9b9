import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { HISTORY_PAGE } from '@platform/contracts';
import type { Conversation, Media, ServerFrame } from '../sdk.js';
import { useSession, useUser } from '../session/session-context.js';
import { processingMedia } from './attachment-news.js';
import { chatReducer, initialChatState, type ChatState, type PendingMessage } from './chat-state.js';
import { useDesktopAlerts } from './desktop-alerts.js';
import { aroundQuery, newerQuery } from './message-window.js';
import { usePeopleLookup } from './people-lookup.js';
import { usePresenceWatch } from './presence-watch.js';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface ChatActions {
  /** A message with `attachments` (uploads that are stored: processing or ready). */
  send(target: PendingMessage['target'], text: string, attachments?: Media[]): void;
  edit(id: string, text: string): void;
  remove(id: string): void;
  react(id: string, emoji: string, on: boolean): void;
  typing(conversationId: string, on: boolean): void;
  markRead(messageId: string): void;
  open(conversationId: string | null): void;
  /** The page of history before `before` (the newest page without it). */
  loadHistory(conversationId: string, before?: number): Promise<void>;
  /** The window around one message (a search hit), replacing what was loaded. */
  loadAround(conversationId: string, seq: number): Promise<void>;
  /** The page after the window's newest message (after a jump). */
  loadNewer(conversationId: string): Promise<void>;
  /** Reloads the conversation list (after joining or creating a group). */
  refreshConversations(): Promise<Conversation[]>;
  /** Back to the newest page, leaving a window opened at an old message. */
  loadLatest(conversationId: string): Promise<void>;
  loadGroup(groupId: string): Promise<void>;
  left(conversationId: string): void;
  readNotice(id: string): void;
  readAllNotices(): void;
  /** Watch these users' presence too (people shown outside the chat, such as the console's table). */
  watchPresence(userIds: string[]): void;
}

interface Chat {
  state: ChatState;
  socket: SocketState;
  actions: ChatActions;
}

const ChatContext = createContext<Chat | null>(null);

/** The server frames the chat state follows (chat.sync arrives as the chat.message events it carries). */
const FOLLOWED: ServerFrame['type'][] = [
  'chat.message',
  'chat.ack',
  'message.edited',
  'message.deleted',
  'chat.attachment',
  'reaction',
  'receipt',
  'typing',
  'presence',
  'chat.snapshot',
  'notification',
];

/**
 * The signed-in user's chat on the SDK's socket: loads the conversation list and the notifications,
 * then keeps the socket open. The SDK resumes every conversation after a reconnect (no gaps, no
 * duplicates) and resends unacknowledged messages by clientId; this turns its events into state
 * (attachments turn ready by their `chat.attachment` news, see attachment-news.ts).
 */
export function ChatProvider({ children }: { children: ReactNode }) {
  const { api, client } = useSession();
  const me = useUser().id;
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [socketState, setSocketState] = useState<SocketState>('connecting');
  const realtime = useMemo(() => client.realtime(), [client]);
  // Actions outlive renders; they read the newest state through this.
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);

  const actions = useMemo<ChatActions>(
    () => ({
      send(target, text, attachments = []) {
        const clientId = `web-${crypto.randomUUID()}`;
        const at = new Date().toISOString();
        dispatch({ type: 'pending', message: { clientId, target, text, at, attachments } });
        realtime
          .send(
            target,
            text,
            clientId,
            attachments.map((a) => a.id),
          )
          .catch(() => dispatch({ type: 'pending.failed', clientId }));
      },
      edit: (id, text) => void realtime.sendFrame({ type: 'message.edit', id, text }),
      remove: (id) => void realtime.sendFrame({ type: 'message.delete', id }),
      react: (id, emoji, on) => void realtime.sendFrame({ type: 'reaction', id, emoji, on }),
      typing: (conversationId, on) =>
        on ? realtime.typing({ conversationId }) : realtime.stopTyping({ conversationId }),
      markRead: (id) => void realtime.sendFrame({ type: 'message.read', id }),
      open: (conversationId) => dispatch({ type: 'open', conversationId }),
      async loadHistory(conversationId, before) {
        const page = await api.listMessages({
          params: { id: conversationId },
          query: before === undefined ? {} : { before },
        });
        dispatch({ type: 'history', conversationId, messages: page.messages, hasOlder: page.hasMore });
      },
      async loadAround(conversationId, seq) {
        const page = await api.listMessages({
          params: { id: conversationId },
          query: aroundQuery(seq, HISTORY_PAGE),
        });
        const newest = page.messages.at(-1)?.seq ?? seq;
        const lastSeq = latest.current.conversations[conversationId]?.lastSeq ?? newest;
        dispatch({
          type: 'history',
          conversationId,
          messages: page.messages,
          hasOlder: page.hasMore,
          replace: { hasNewer: newest < lastSeq },
        });
      },
      async loadNewer(conversationId) {
        const newest = latest.current.messages[conversationId]?.at(-1)?.seq ?? 0;
        const page = await api.listMessages({
          params: { id: conversationId },
          query: newerQuery(newest, HISTORY_PAGE),
        });
        const reached = page.messages.at(-1)?.seq ?? newest;
        const lastSeq = latest.current.conversations[conversationId]?.lastSeq ?? reached;
        dispatch({ type: 'newer', conversationId, messages: page.messages, hasNewer: reached < lastSeq });
      },
      async refreshConversations() {
        const answer = await api.listConversations();
        dispatch({ type: 'conversations', items: answer.items });
        return answer.items;
      },
      async loadLatest(conversationId) {
        const page = await api.listMessages({ params: { id: conversationId } });
        dispatch({
          type: 'history',
          conversationId,
          messages: page.messages,
          hasOlder: page.hasMore,
          replace: { hasNewer: false },
        });
      },
      async loadGroup(groupId) {
        dispatch({ type: 'group', group: await api.getGroup({ params: { id: groupId } }) });
      },
      left: (conversationId) => dispatch({ type: 'left', conversationId }),
      readNotice(id) {
        dispatch({ type: 'notice.read', id });
        void api.markNotificationRead({ params: { id } }).catch(() => undefined);
      },
      watchPresence: (userIds) => realtime.subscribePresence(userIds),
      readAllNotices() {
        for (const notice of latest.current.notices.filter((n) => !n.read)) {
          dispatch({ type: 'notice.read', id: notice.id });
          void api.markNotificationRead({ params: { id: notice.id } }).catch(() => undefined);
        }
      },
    }),
    [api, realtime],
  );

  useEffect(() => {
    let live = true;
    const offs = FOLLOWED.map((type) =>
      realtime.on(type, (frame) => dispatch({ type: 'frame', frame: frame as ServerFrame, me })),
    );
    // A file's readiness comes as `chat.attachment`, which `chat.sync` does not replay: on every new
    // socket the files still shown as processing are read once, and the socket brings the rest.
    const rereadProcessing = async () => {
      const answers = await Promise.allSettled(
        processingMedia(latest.current).map((id) => api.getMedia({ params: { id } })),
      );
      const items = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
      if (live && items.length > 0) dispatch({ type: 'media', items });
    };
    offs.push(
      realtime.on('open', () => {
        setSocketState('open');
        void rereadProcessing();
      }),
    );
    offs.push(
      realtime.on('close', ({ retryInMs }) => setSocketState(retryInMs === null ? 'closed' : 'connecting')),
    );
    // Joined, left or removed from a group: the list changes; a member change reloads that group.
    offs.push(
      realtime.on('chat.member', (frame) => {
        if (frame.userId === me && frame.event !== 'role_changed') {
          if (frame.event !== 'joined') dispatch({ type: 'left', conversationId: frame.conversationId });
          void actions.refreshConversations().catch(() => undefined);
        }
        if (latest.current.groups[frame.channel])
          void actions.loadGroup(frame.channel).catch(() => undefined);
      }),
    );
    void api
      .listConversations()
      .then((answer) => live && dispatch({ type: 'conversations', items: answer.items }))
      .catch(() => undefined)
      .finally(() => live && realtime.connect());
    void api
      .listNotifications()
      .then((answer) => live && dispatch({ type: 'notices', items: answer.items }))
      .catch(() => undefined);
    const timer = setInterval(() => dispatch({ type: 'typing.expire', now: Date.now() }), 2_000);
    return () => {
      live = false;
      clearInterval(timer);
      for (const off of offs) off();
      realtime.close();
    };
  }, [api, realtime, me, actions]);

  usePresenceWatch(state, realtime, me);
  usePeopleLookup(state, api, me, dispatch);
  useDesktopAlerts(state, me);

  const value = useMemo(() => ({ state, socket: socketState, actions }), [state, socketState, actions]);
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}

/** The chat, or null outside it (components that also render on their own, as in unit tests). */
export function useOptionalChat(): Chat | null {
  return useContext(ChatContext);
}

export function useChat(): Chat {
  const chat = useContext(ChatContext);
  if (chat === null) throw new Error('useChat outside ChatProvider');
  return chat;
}
