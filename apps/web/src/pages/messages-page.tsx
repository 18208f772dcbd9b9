import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useChat } from '../chat/chat-provider.js';
import { conversationTitle, ConversationList } from '../chat/conversation-list.js';
import { GroupPanel } from '../chat/group-panel.js';
import { MessageView } from '../chat/message-view.js';
import { personLabel } from '../chat/people.js';
import { PresenceDot } from '../chat/presence-dot.js';
import { SearchPanel } from '../chat/search-panel.js';
import { useUser } from '../session/session-context.js';

/** `?message=<id>&seq=<n>`: the message a search hit opens the conversation at. */
function useFocus(): { id: string; seq: number } | null {
  const [params] = useSearchParams();
  const id = params.get('message');
  const seq = Number(params.get('seq'));
  return id && Number.isInteger(seq) && seq > 0 ? { id, seq } : null;
}

/**
 * `/messages` (the global channel), `/messages/<conversation id>` or `/messages/@<user id>` (a direct
 * conversation, which the first message creates).
 */
export function MessagesPage() {
  const { t } = useTranslation();
  const me = useUser().id;
  const { state, socket } = useChat();
  const { key } = useParams();
  const focus = useFocus();
  const all = Object.values(state.conversations);

  let view;
  if (key?.startsWith('@')) {
    const userId = key.slice(1);
    const existing = all.find((c) => c.kind === 'direct' && c.with === userId);
    view = (
      <MessageView
        key={key}
        title={personLabel(userId, me, state.names)}
        conversationId={existing?.id}
        target={existing ? { conversationId: existing.id } : { to: userId }}
        direct
        header={<PresenceDot userId={userId} />}
      />
    );
  } else {
    const conversation = key ? state.conversations[key] : all.find((c) => c.kind === 'global');
    view = conversation ? (
      <MessageView
        key={conversation.id}
        title={conversationTitle(conversation, me, state.names)}
        conversationId={conversation.id}
        target={{ conversationId: conversation.id }}
        direct={conversation.kind === 'direct'}
        focus={focus}
        header={
          conversation.kind === 'group' ? (
            <GroupPanel conversation={conversation} />
          ) : conversation.with ? (
            <PresenceDot userId={conversation.with} />
          ) : null
        }
      />
    ) : (
      <p role="status">{t('chat.loadingConversations')}</p>
    );
  }

  return (
    <main className="chat">
      <h1 className="visually-hidden">{t('chat.messages')}</h1>
      <div className="chat-side">
        <SearchPanel />
        <ConversationList />
      </div>
      {view}
      {socket !== 'open' ? (
        <p className="connection" role="status">
          {socket === 'connecting' ? t('chat.connecting') : t('chat.reconnecting')}
        </p>
      ) : null}
    </main>
  );
}
