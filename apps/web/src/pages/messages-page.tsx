import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useChat } from '../chat/chat-provider.js';
import { conversationTitle, ConversationList } from '../chat/conversation-list.js';
import { MessageView } from '../chat/message-view.js';
import { personLabel } from '../chat/people.js';
import { useUser } from '../session/session-context.js';

/**
 * `/messages` (the global channel), `/messages/<conversation id>` or `/messages/@<user id>` (a direct
 * conversation, which the first message creates).
 */
export function MessagesPage() {
  const { t } = useTranslation();
  const me = useUser().id;
  const { state, socket } = useChat();
  const { key } = useParams();
  const all = Object.values(state.conversations);

  let view;
  if (key?.startsWith('@')) {
    const userId = key.slice(1);
    const existing = all.find((c) => c.kind === 'direct' && c.with === userId);
    view = (
      <MessageView
        key={key}
        title={personLabel(userId, me)}
        conversationId={existing?.id}
        target={existing ? { conversationId: existing.id } : { to: userId }}
        direct
      />
    );
  } else {
    const conversation = key ? state.conversations[key] : all.find((c) => c.kind === 'global');
    view = conversation ? (
      <MessageView
        key={conversation.id}
        title={conversationTitle(conversation, me)}
        conversationId={conversation.id}
        target={{ conversationId: conversation.id }}
        direct={conversation.kind === 'direct'}
      />
    ) : (
      <p role="status">{t('chat.loadingConversations')}</p>
    );
  }

  return (
    <main className="chat">
      <h1 className="visually-hidden">{t('chat.messages')}</h1>
      <ConversationList />
      {view}
      {socket !== 'open' ? (
        <p className="connection" role="status">
          {socket === 'connecting' ? t('chat.connecting') : t('chat.reconnecting')}
        </p>
      ) : null}
    </main>
  );
}
