import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-provider.js';

const TOAST_MS = 6_000;

/** The newest notification as a toast for a few seconds (announced, never stealing focus). */
export function Toast() {
  const { t } = useTranslation();
  const { state } = useChat();
  const newest = state.notices[0];
  const [hidden, setHidden] = useState<string | null>(null);
  useEffect(() => {
    if (!newest) return;
    const timer = setTimeout(() => setHidden(newest.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [newest]);
  const visible = newest !== undefined && hidden !== newest.id;
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {visible ? (
        <div className="toast">
          {newest.message}
          <button type="button" aria-label={t('notifications.dismiss')} onClick={() => setHidden(newest.id)}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The bell: unread count as a badge; opening the list marks them read. */
export function NotificationsMenu() {
  const { t, i18n } = useTranslation();
  const { state, actions } = useChat();
  const [open, setOpen] = useState(false);
  const unread = state.unreadNotices;
  return (
    <div className="notifications">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="notification-list"
        aria-label={unread > 0 ? t('notifications.unread', { count: unread }) : t('notifications.title')}
        onClick={() => {
          setOpen(!open);
          if (!open && unread > 0) actions.readNotices();
        }}
      >
        🔔{unread > 0 ? <span className="badge">{unread}</span> : null}
      </button>
      {open ? (
        <ul id="notification-list" aria-label={t('notifications.title')}>
          {state.notices.length === 0 ? <li>{t('notifications.none')}</li> : null}
          {state.notices.map((n) => (
            <li key={n.id}>
              {n.message} <time dateTime={n.at}>{new Date(n.at).toLocaleString(i18n.language)}</time>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
