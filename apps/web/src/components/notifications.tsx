import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-provider.js';
import { unreadNotices } from '../chat/chat-state.js';
import { useNotificationPermission } from '../chat/desktop-alerts.js';

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
  const visible = newest !== undefined && !newest.read && hidden !== newest.id;
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

/** Asks for the browser's permission to show notifications while the tab is hidden (on a click only). */
function DesktopSwitch() {
  const { t } = useTranslation();
  const { permission, ask } = useNotificationPermission();
  if (permission === 'unsupported') return null;
  if (permission === 'granted') return <p className="hint">{t('notifications.desktopOn')}</p>;
  if (permission === 'denied') return <p className="hint">{t('notifications.desktopBlocked')}</p>;
  return (
    <button type="button" onClick={ask}>
      {t('notifications.enableDesktop')}
    </button>
  );
}

/** The bell and its inbox: the unread count as a badge, each notification with its read mark. */
export function NotificationsMenu() {
  const { t, i18n } = useTranslation();
  const { state, actions } = useChat();
  const [open, setOpen] = useState(false);
  const unread = unreadNotices(state);
  return (
    <div className="notifications">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="notification-inbox"
        aria-label={unread > 0 ? t('notifications.unread', { count: unread }) : t('notifications.title')}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setOpen(false);
        }}
      >
        🔔{unread > 0 ? <span className="badge">{unread}</span> : null}
      </button>
      {open ? (
        <section
          id="notification-inbox"
          className="inbox"
          aria-label={t('notifications.title')}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false);
          }}
        >
          <div className="inbox-head">
            <h2>{t('notifications.title')}</h2>
            {unread > 0 ? (
              <button type="button" onClick={actions.readAllNotices}>
                {t('notifications.markAllRead')}
              </button>
            ) : null}
          </div>
          <ul aria-label={t('notifications.title')}>
            {state.notices.length === 0 ? <li>{t('notifications.none')}</li> : null}
            {state.notices.map((n) => (
              <li key={n.id} className={n.read ? 'read' : 'unread'}>
                <span>{n.message}</span>{' '}
                <time dateTime={n.at}>{new Date(n.at).toLocaleString(i18n.language)}</time>{' '}
                {n.read ? (
                  <small>({t('notifications.read')})</small>
                ) : (
                  <button
                    type="button"
                    aria-label={`${t('notifications.markRead')}: ${n.message}`}
                    onClick={() => actions.readNotice(n.id)}
                  >
                    {t('notifications.markRead')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <DesktopSwitch />
        </section>
      ) : null}
    </div>
  );
}
