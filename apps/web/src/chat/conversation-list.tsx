import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { Avatar } from '../components/avatar.js';
import { i18n } from '../i18n/i18n.js';
import { conversationPath, PAGES } from '../page-paths.js';
import type { Conversation } from '../sdk.js';
import { useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import { displayText } from './message-text.js';
import { NewGroupButton } from './new-group.js';
import { personLabel } from './people.js';

/** The name a conversation is listed under. */
export function conversationTitle(
  conversation: Conversation,
  me: string,
  names: Record<string, string> = {},
): string {
  if (conversation.kind === 'global') return i18n.t('chat.everyone');
  if (conversation.kind === 'direct' && conversation.with) return personLabel(conversation.with, me, names);
  return conversation.name === null ? i18n.t('chat.group') : displayText(conversation.name);
}

/** Newest activity first; the global channel always on top. */
function order(a: Conversation, b: Conversation): number {
  if (a.kind === 'global' || b.kind === 'global') return a.kind === 'global' ? -1 : 1;
  return (b.lastMessage?.at ?? '').localeCompare(a.lastMessage?.at ?? '');
}

/** Every conversation of the user: unread count, last message, and a live presence dot for direct ones. */
export function ConversationList() {
  const { t } = useTranslation();
  const me = useUser().id;
  const { state } = useChat();
  const conversations = Object.values(state.conversations).sort(order);
  return (
    <nav className="conversations" aria-label={t('chat.conversations')}>
      <NewGroupButton />
      <ul>
        {conversations.map((c) => {
          const title = conversationTitle(c, me, state.names);
          const direct = c.kind === 'direct' && c.with !== undefined;
          const online = direct && state.online[c.with ?? ''] === true;
          const last = c.lastMessage;
          const target = c.kind === 'global' ? PAGES.messages : conversationPath(c.id);
          const presence = direct ? `, ${online ? t('chat.online') : t('chat.offline')}` : '';
          const unread =
            c.unread > 0 ? `, ${t('chat.unread', { count: c.unread >= 1000 ? '1000+' : c.unread })}` : '';
          return (
            <li key={c.id}>
              {/* The name is the visible text (axe: label-content-name-mismatch), with the state read out. */}
              <NavLink to={target} end>
                {direct ? (
                  <span className="person-mark">
                    <Avatar name={title} url={state.avatars[c.with ?? '']} />
                    <span className={online ? 'dot online' : 'dot'} aria-hidden="true" />
                  </span>
                ) : null}
                {c.kind === 'group' ? (
                  <span className="group-mark" aria-hidden="true">
                    #
                  </span>
                ) : null}
                <span className="title">{title}</span>
                <span className="visually-hidden">{`${presence}${unread},`}</span>
                {c.unread > 0 ? (
                  <span className="badge" aria-hidden="true">
                    {c.unread >= 1000 ? '1000+' : c.unread}
                  </span>
                ) : null}
                <span className="last" dir="auto">
                  {last === null
                    ? t('chat.noMessages')
                    : last.deleted
                      ? t('chat.deletedMessage')
                      : displayText(last.text)}
                </span>
              </NavLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
