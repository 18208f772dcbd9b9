import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Avatar } from '../components/avatar.js';
import { directPath } from '../page-paths.js';
import type { Message } from '../sdk.js';
import { Attachments } from './attachment-view.js';
import { EmojiButton } from './emoji-button.js';
import { displayText } from './message-text.js';
import { dateTimeOf, personLabel, timeOf } from './people.js';
import { PresenceDot } from './presence-dot.js';

export type Delivery = 'sending' | 'failed' | 'sent' | 'delivered' | 'read';

const TICKS: Record<Delivery, string> = {
  sending: '🕓',
  failed: '!',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
};

interface Props {
  message: Pick<
    Message,
    'id' | 'from' | 'text' | 'at' | 'editedAt' | 'deleted' | 'reactions' | 'attachments'
  >;
  me: string;
  names: Record<string, string>;
  /** The author's picture and the name its initials are taken from. */
  avatar?: { name: string; url: string | null | undefined };
  /** Set on the caller's own messages. */
  delivery?: Delivery;
  /** The emoji the caller reacted with. */
  mine?: Record<string, boolean>;
  /** The search hit this view was opened at. */
  highlighted?: boolean;
  /** Whether the author may be messaged directly from here (not in a direct conversation already). */
  offerDirect: boolean;
  onEdit?(text: string): void;
  onDelete?(): void;
  onReact?(emoji: string, on: boolean): void;
  onStartEdit?(): void;
}

/** Reactions (each a toggle), the picker for a new one, and what the author may do. */
function MessageActions(props: Props & { author: string; own: boolean; mine: Record<string, boolean> }) {
  const { t } = useTranslation();
  const { message, own, mine, author } = props;
  const reactions = Object.entries(message.reactions).filter(([, count]) => count > 0);
  return (
    <div className="actions">
      {reactions.map(([emoji, count]) => (
        <button
          key={emoji}
          type="button"
          className="reaction"
          aria-pressed={mine[emoji] === true}
          aria-label={t('chat.reactCount', { emoji, count })}
          onClick={() => props.onReact?.(emoji, mine[emoji] !== true)}
        >
          {emoji} {count}
        </button>
      ))}
      {props.onReact ? (
        <EmojiButton
          label={t('chat.addReaction')}
          content="☺+"
          onPick={(emoji) => props.onReact?.(emoji, true)}
        />
      ) : null}
      {own && props.onEdit ? (
        <button type="button" onClick={props.onStartEdit}>
          {t('chat.edit')}
        </button>
      ) : null}
      {own && props.onDelete ? (
        <button type="button" onClick={props.onDelete}>
          {t('chat.delete')}
        </button>
      ) : null}
      {!own && props.offerDirect ? (
        <Link to={directPath(message.from)}>{t('chat.messageAuthor', { author })}</Link>
      ) : null}
    </div>
  );
}

/** One message. Its text is always a React text node: user content is never parsed as HTML. */
export function MessageItem(props: Props) {
  const { message, me, names, delivery, mine = {}, highlighted } = props;
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(displayText(message.text));
  const author = personLabel(message.from, me, names);
  const own = message.from === me;
  const settled = delivery !== 'sending' && delivery !== 'failed';
  return (
    <article
      className={`message${own ? ' own' : ''}${highlighted ? ' highlight' : ''}`}
      aria-label={t('chat.from', { author })}
      aria-current={highlighted ? 'true' : undefined}
    >
      <div className="meta">
        <Avatar name={props.avatar?.name ?? author} url={props.avatar?.url} />
        {own ? null : <PresenceDot userId={message.from} />}
        <span className="author">{author}</span>{' '}
        <time dateTime={message.at} title={dateTimeOf(message.at)}>
          {timeOf(message.at)}
        </time>
        {message.editedAt && !message.deleted ? <span className="edited"> {t('chat.edited')}</span> : null}
        {delivery ? (
          <span
            className={`ticks ${delivery}`}
            role="img"
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
            if (draft.trim() !== '') props.onEdit?.(draft);
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
        <>
          {message.text === '' ? null : (
            <p className="text" dir="auto">
              {displayText(message.text)}
            </p>
          )}
          <Attachments items={message.attachments ?? []} />
        </>
      )}
      {!message.deleted && settled ? (
        <MessageActions
          {...props}
          author={author}
          own={own}
          mine={mine}
          onStartEdit={() => setEditing(true)}
        />
      ) : null}
    </article>
  );
}
