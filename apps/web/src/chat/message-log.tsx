import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../sdk.js';
import { useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import type { PendingMessage } from './chat-state.js';
import { MessageItem, type Delivery } from './message-item.js';
import { storedText } from './message-text.js';
import { dayOf } from './people.js';
import { useVirtualList } from './virtual-list.js';

type Row =
  | { key: string; kind: 'day'; day: string }
  | { key: string; kind: 'message'; message: Message }
  | { key: string; kind: 'pending'; pending: PendingMessage };

/** Messages with a day separator before the first message of each day, then what is still being sent. */
export function rowsOf(messages: readonly Message[], pending: readonly PendingMessage[]): Row[] {
  const rows: Row[] = [];
  let lastDay = '';
  for (const message of messages) {
    const day = dayOf(message.at);
    if (day !== lastDay) rows.push({ key: `day:${message.id}`, kind: 'day', day });
    lastDay = day;
    rows.push({ key: message.id, kind: 'message', message });
  }
  for (const p of pending) rows.push({ key: p.clientId, kind: 'pending', pending: p });
  return rows;
}

const estimate = (key: string) => (key.startsWith('day:') ? 36 : 84);

interface Props {
  conversationId: string | undefined;
  pending: PendingMessage[];
  direct: boolean;
  /** The message to show in the middle, highlighted (a search hit). */
  focusId: string | null;
}

/**
 * The history of one conversation as a virtualised log: only the rows near the viewport are in the
 * DOM, so ten thousand loaded messages scroll as smoothly as ten. Scrolling near the top loads the
 * previous page; near the bottom of a window opened at an old message, the next one.
 */
export function MessageLog({ conversationId, pending, direct, focusId }: Props) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const me = user.id;
  const { state, actions } = useChat();
  const avatarOf = (userId: string) =>
    userId === me
      ? { name: user.displayName, url: user.avatarUrl }
      : { name: state.names[userId] ?? userId.slice(0, 8), url: state.avatars[userId] };
  const messages = useMemo(
    () => (conversationId ? (state.messages[conversationId] ?? []) : []),
    [conversationId, state.messages],
  );
  // The language is a dependency: day separators are written in it.
  const language = i18n.language;
  const rows = useMemo(() => (language ? rowsOf(messages, pending) : []), [messages, pending, language]);
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const byKey = useMemo(() => new Map(rows.map((r) => [r.key, r])), [rows]);
  const loading = useRef(false);
  const hasOlder = conversationId ? state.hasOlder[conversationId] === true : false;
  const hasNewer = conversationId ? state.hasNewer[conversationId] === true : false;

  const load = useCallback((work: () => Promise<void>) => {
    if (loading.current) return;
    loading.current = true;
    void work()
      .catch(() => undefined)
      .finally(() => {
        loading.current = false;
      });
  }, []);
  const first = messages[0]?.seq;
  const onNearTop = useCallback(() => {
    if (conversationId && hasOlder && first !== undefined)
      load(() => actions.loadHistory(conversationId, first));
  }, [conversationId, hasOlder, first, load, actions]);
  const onNearBottom = useCallback(() => {
    if (conversationId && hasNewer) load(() => actions.loadNewer(conversationId));
  }, [conversationId, hasNewer, load, actions]);

  const {
    setContainer,
    onScroll,
    measure,
    total,
    rows: visible,
    overflows,
  } = useVirtualList({
    keys,
    estimate,
    onNearTop,
    onNearBottom,
    scrollTo: focusId,
  });

  // A short first page leaves nothing to scroll: keep loading until the log overflows or history ends.
  useEffect(() => {
    if (hasOlder && !overflows) onNearTop();
  }, [hasOlder, overflows, onNearTop, total]);

  const read = conversationId ? (state.read[conversationId] ?? 0) : 0;
  const delivered = conversationId ? (state.delivered[conversationId] ?? 0) : 0;
  const deliveryOf = (m: Message): Delivery =>
    m.seq <= read ? 'read' : m.seq <= delivered ? 'delivered' : 'sent';

  return (
    <div
      ref={setContainer}
      className="messages"
      role="log"
      aria-label={t('chat.messages')}
      aria-live="polite"
      tabIndex={0}
      onScroll={onScroll}
    >
      {hasOlder ? <p className="visually-hidden">{t('chat.olderAbove')}</p> : null}
      <div className="rows" style={{ height: total }}>
        {visible.map(({ key, top }) => {
          const row = byKey.get(key);
          if (!row) return null;
          return (
            <div
              key={key}
              data-key={key}
              ref={measure}
              className="row"
              style={{ transform: `translateY(${top}px)` }}
            >
              {row.kind === 'day' ? (
                <h3 className="day">{row.day}</h3>
              ) : row.kind === 'message' ? (
                <MessageItem
                  message={row.message}
                  me={me}
                  names={state.names}
                  avatar={avatarOf(row.message.from)}
                  delivery={row.message.from === me ? deliveryOf(row.message) : undefined}
                  mine={state.myReactions[row.message.id]}
                  highlighted={row.message.id === focusId}
                  offerDirect={!direct}
                  onEdit={(text) => actions.edit(row.message.id, text)}
                  onDelete={() => actions.remove(row.message.id)}
                  onReact={(emoji, on) => actions.react(row.message.id, emoji, on)}
                />
              ) : (
                <MessageItem
                  message={{
                    id: row.pending.clientId,
                    from: me,
                    text: storedText(row.pending.text),
                    at: row.pending.at,
                    editedAt: null,
                    deleted: false,
                    reactions: {},
                    ...(row.pending.attachments ? { attachments: row.pending.attachments } : {}),
                  }}
                  me={me}
                  names={state.names}
                  avatar={avatarOf(me)}
                  delivery={row.pending.failed ? 'failed' : 'sending'}
                  offerDirect={false}
                />
              )}
            </div>
          );
        })}
      </div>
      {hasNewer && conversationId ? (
        <button type="button" className="to-latest" onClick={() => void actions.loadLatest(conversationId)}>
          {t('chat.toLatest')}
        </button>
      ) : null}
    </div>
  );
}
