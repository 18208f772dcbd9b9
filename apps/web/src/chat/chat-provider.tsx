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
import { ChatSocket, type SocketState } from '../api/socket.js';
import { useSession, useUser } from '../session/session-context.js';
import { chatReducer, initialChatState, type ChatState, type PendingMessage } from './chat-state.js';

export interface ChatActions {
  send(target: PendingMessage['target'], text: string): void;
  edit(id: string, text: string): void;
  remove(id: string): void;
  react(id: string, emoji: string, on: boolean): void;
  typing(conversationId: string, on: boolean): void;
  markRead(messageId: string): void;
  open(conversationId: string | null): void;
  loadHistory(conversationId: string, before?: number): Promise<void>;
  readNotices(): void;
}

interface Chat {
  state: ChatState;
  socket: SocketState;
  actions: ChatActions;
}

const ChatContext = createContext<Chat | null>(null);

/** Sync asks for at most this many conversations per frame (the server's limit). */
const SYNC_BATCH = 50;

function newClientId(): string {
  return `web-${crypto.randomUUID()}`;
}

/**
 * The signed-in user's chat: loads the conversation list, keeps one socket open, and turns frames into
 * state. After every reconnect it asks for what it missed (`chat.sync` from the last seq it has) and
 * re-sends unacknowledged messages by their clientId, which the server stores once.
 */
export function ChatProvider({ children }: { children: ReactNode }) {
  const { api, setUser } = useSession();
  const me = useUser().id;
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [socketState, setSocketState] = useState<SocketState>('connecting');
  // The socket's callbacks outlive renders; they read the newest state through this.
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);
  const socketRef = useRef<ChatSocket | null>(null);

  useEffect(() => {
    const onOpen = () => {
      const current = latest.current;
      const conversations = Object.entries(current.messages).map(([id, list]) => ({
        id,
        after: list.at(-1)?.seq ?? 0,
      }));
      for (let i = 0; i < conversations.length; i += SYNC_BATCH)
        socket.send({ type: 'chat.sync', conversations: conversations.slice(i, i + SYNC_BATCH) });
      for (const pending of current.pending)
        socket.send({ type: 'chat.send', ...pending.target, text: pending.text, clientId: pending.clientId });
      const partners = Object.values(current.conversations).flatMap((c) => (c.with ? [c.with] : []));
      if (partners.length > 0) socket.send({ type: 'presence.subscribe', userIds: partners.slice(0, 100) });
    };
    const socket = new ChatSocket(
      () => api.freshToken(),
      (frame) => dispatch({ type: 'frame', frame, me }),
      setSocketState,
      onOpen,
      () => void api.signOut().catch(() => undefined),
    );
    socketRef.current = socket;
    void api
      .conversations()
      .then((items) => {
        dispatch({ type: 'conversations', items });
        socket.start();
      })
      .catch(() => socket.start());
    const timer = setInterval(() => dispatch({ type: 'typing.expire', now: Date.now() }), 2_000);
    return () => {
      clearInterval(timer);
      socket.stop();
      socketRef.current = null;
    };
  }, [api, me, setUser]);

  const actions = useMemo<ChatActions>(() => {
    const send = (frame: Record<string, unknown>) => socketRef.current?.send(frame) ?? false;
    return {
      send(target, text) {
        const message: PendingMessage = {
          clientId: newClientId(),
          target,
          text,
          at: new Date().toISOString(),
        };
        dispatch({ type: 'pending', message });
        send({ type: 'chat.send', ...target, text, clientId: message.clientId });
      },
      edit: (id, text) => send({ type: 'message.edit', id, text }),
      remove: (id) => send({ type: 'message.delete', id }),
      react: (id, emoji, on) => send({ type: 'reaction', id, emoji, on }),
      typing: (conversationId, on) => send({ type: 'typing', conversationId, on }),
      markRead: (id) => send({ type: 'message.read', id }),
      open: (conversationId) => dispatch({ type: 'open', conversationId }),
      async loadHistory(conversationId, before) {
        const page = await api.history(conversationId, before);
        dispatch({
          type: 'history',
          conversationId: page.conversationId,
          messages: page.messages,
          hasMore: page.hasMore,
        });
      },
      readNotices() {
        for (const notice of latest.current.notices.slice(0, latest.current.unreadNotices))
          void api.markNotificationRead(notice.id).catch(() => undefined);
        dispatch({ type: 'notices.read' });
      },
    };
  }, [api]);

  const value = useMemo(() => ({ state, socket: socketState, actions }), [state, socketState, actions]);
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}

export function useChat(): Chat {
  const chat = useContext(ChatContext);
  if (chat === null) throw new Error('useChat outside ChatProvider');
  return chat;
}
