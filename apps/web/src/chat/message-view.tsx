import { Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../api/types.js';
import { useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import type { PendingMessage } from './chat-state.js';
import { MessageItem, type Delivery } from './message-item.js';
import { storedText } from './message-text.js';
import { dayOf, personLabel } from './people.js';

/** How often, at most, "typing" is repeated while keys are pressed. */
const TYPING_EVERY_MS = 3_000;

interface Props {
  title: string;
  /** The stored conversation, or undefined for a direct one that has no message yet. */
  conversationId: string | undefined;
  /** Where a new message goes. */
  target: PendingMessage['target'];
  direct: boolean;
}

function deliveryOf(message: Message, receipts: Record<string, 'delivered' | 'read'>): Delivery {
  return receipts[message.id] ?? 'sent';
}

/** The open conversation: history upwards on demand, live messages, receipts, typing, and the composer. */
export function MessageView({ title, conversationId, target, direct }: Props) {
  const { t } = useTranslation();
  const me = useUser().id;
  const { state, actions } = useChat();
  const [draft, setDraft] = useState('');
  const lastTyping = useRef(0);
  const bottom = useRef<HTMLDivElement>(null);
  const messages = conversationId ? (state.messages[conversationId] ?? []) : [];
  const pending = state.pending.filter((p) => JSON.stringify(p.target) === JSON.stringify(target));
  const typing = conversationId ? Object.keys(state.typing[conversationId] ?? {}) : [];
  const newest = messages.at(-1);

  useEffect(() => {
    actions.open(conversationId ?? null);
    if (conversationId && state.messages[conversationId] === undefined)
      void actions.loadHistory(conversationId).catch(() => undefined);
    return () => actions.open(null);
    // Loads once per conversation; later messages arrive on the socket.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- state.messages would reload on every frame
  }, [conversationId, actions]);

  // Reading the newest message of someone else tells its sender (read receipt) and clears the unread count.
  useEffect(() => {
    if (newest && newest.from !== me) actions.markRead(newest.id);
  }, [newest, me, actions]);

  useLayoutEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [newest?.id, pending.length]);

  const onDraft = (value: string) => {
    setDraft(value);
    if (!conversationId) return;
    const now = Date.now();
    if (value !== '' && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      actions.typing(conversationId, true);
    }
  };

  const submit = () => {
    const text = draft.trim();
    if (text === '') return;
    actions.send(target, text);
    setDraft('');
    if (conversationId && lastTyping.current > 0) actions.typing(conversationId, false);
    lastTyping.current = 0;
  };

  const first = messages[0];
  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{title}</h2>
      {conversationId && state.hasMore[conversationId] && first ? (
        <button type="button" onClick={() => void actions.loadHistory(conversationId, first.seq)}>
          {t('chat.loadOlder')}
        </button>
      ) : null}
      <ol className="messages" role="log" aria-label={t('chat.messages')} aria-live="polite">
        {messages.map((message, index) => {
          const day = dayOf(message.at);
          const previous = messages[index - 1];
          return (
            <Fragment key={message.id}>
              {previous === undefined || dayOf(previous.at) !== day ? (
                <li role="separator" className="day">
                  {day}
                </li>
              ) : null}
              <MessageItem
                message={message}
                me={me}
                delivery={message.from === me ? deliveryOf(message, state.receipts) : undefined}
                offerDirect={!direct}
                onEdit={(text) => actions.edit(message.id, text)}
                onDelete={() => actions.remove(message.id)}
                onReact={(emoji, on) => actions.react(message.id, emoji, on)}
              />
            </Fragment>
          );
        })}
        {pending.map((p) => (
          <MessageItem
            key={p.clientId}
            message={{
              id: p.clientId,
              from: me,
              text: storedText(p.text),
              at: p.at,
              editedAt: null,
              deleted: false,
              reactions: {},
            }}
            me={me}
            delivery="sending"
            offerDirect={false}
          />
        ))}
      </ol>
      <div ref={bottom} />
      <p className="typing" aria-live="polite">
        {typing.length > 0
          ? t('chat.typing', { names: typing.map((id) => personLabel(id, me)).join(', ') })
          : ''}
      </p>
      <form
        className="composer"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label htmlFor="composer">{t('chat.message')}</label>
        <textarea
          id="composer"
          value={draft}
          rows={2}
          maxLength={4000}
          onChange={(event) => onDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit">{t('chat.send')}</button>
      </form>
    </section>
  );
}
