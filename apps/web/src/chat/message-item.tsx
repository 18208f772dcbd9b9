import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Message } from '../api/types.js';
import { directPath } from '../page-paths.js';
import { displayText } from './message-text.js';
import { personLabel, timeOf } from './people.js';

const REACTIONS = ['👍', '❤️', '😂'];

export type Delivery = 'sending' | 'sent' | 'delivered' | 'read';

const TICKS: Record<Delivery, string> = { sending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓' };

interface Props {
  message: Pick<Message, 'id' | 'from' | 'text' | 'at' | 'editedAt' | 'deleted' | 'reactions'>;
  me: string;
  /** Set on the caller's own messages. */
  delivery?: Delivery;
  /** Whether the author may be messaged directly from here (not in a direct conversation already). */
  offerDirect: boolean;
  onEdit?(text: string): void;
  onDelete?(): void;
  onReact?(emoji: string, on: boolean): void;
}

/** One message. Its text is always a React text node: user content is never parsed as HTML. */
export function MessageItem({ message, me, delivery, offerDirect, onEdit, onDelete, onReact }: Props) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(displayText(message.text));
  const [mine, setMine] = useState<Record<string, boolean>>({});
  const author = personLabel(message.from, me);
  const own = message.from === me;

  return (
    <li className={own ? 'message own' : 'message'} aria-label={t('chat.from', { author })}>
      <div className="meta">
        <span className="author">{author}</span> <time dateTime={message.at}>{timeOf(message.at)}</time>
        {message.editedAt && !message.deleted ? <span className="edited"> {t('chat.edited')}</span> : null}
        {delivery ? (
          <span
            className={`ticks ${delivery}`}
            aria-label={t(`chat.${delivery}`)}
            title={t(`chat.${delivery}`)}
          >
            {' '}
            {TICKS[delivery]}
          </span>
        ) : null}
      </div>
      {message.deleted ? (
        <p className="text deleted">{t('chat.deleted')}</p>
      ) : editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (draft.trim() !== '') onEdit?.(draft);
            setEditing(false);
          }}
        >
          <label>
            {t('chat.editMessage')}{' '}
            <input value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          </label>
          <button type="submit">{t('chat.save')}</button>
          <button type="button" onClick={() => setEditing(false)}>
            {t('chat.cancel')}
          </button>
        </form>
      ) : (
        <p className="text">{displayText(message.text)}</p>
      )}
      {!message.deleted ? (
        <div className="actions">
          {REACTIONS.map((emoji) => {
            const count = message.reactions[emoji] ?? 0;
            return (
              <button
                key={emoji}
                type="button"
                aria-pressed={mine[emoji] === true}
                aria-label={count > 0 ? t('chat.reactCount', { emoji, count }) : t('chat.react', { emoji })}
                onClick={() => {
                  const on = mine[emoji] !== true;
                  setMine({ ...mine, [emoji]: on });
                  onReact?.(emoji, on);
                }}
              >
                {emoji}
                {count > 0 ? ` ${count}` : ''}
              </button>
            );
          })}
          {own && onEdit && delivery !== 'sending' ? (
            <button type="button" onClick={() => setEditing(true)}>
              {t('chat.edit')}
            </button>
          ) : null}
          {own && onDelete && delivery !== 'sending' ? (
            <button type="button" onClick={onDelete}>
              {t('chat.delete')}
            </button>
          ) : null}
          {!own && offerDirect ? (
            <Link to={directPath(message.from)}>{t('chat.messageAuthor', { author })}</Link>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
