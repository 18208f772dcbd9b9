import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { mayOpenConsole } from '../admin/console-access.js';
import { ChatProvider, useChat } from '../chat/chat-provider.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';
import { NotificationsMenu, Toast } from './notifications.js';
import { PreferenceControls } from './preference-controls.js';

function TopBar() {
  const { t } = useTranslation();
  const { client, user } = useSession();
  const { state } = useChat();
  const navigate = useNavigate();
  const unread = Object.values(state.conversations).reduce((sum, c) => sum + c.unread, 0);
  return (
    <header className="top">
      <nav aria-label={t('nav.main')}>
        <NavLink
          to={PAGES.messages}
          aria-label={unread > 0 ? t('nav.messagesUnread', { count: unread }) : undefined}
        >
          {t('nav.messages')}
          {unread > 0 ? (
            <span className="badge" aria-hidden="true">
              {unread}
            </span>
          ) : null}
        </NavLink>
        <NavLink to={PAGES.profile}>{t('nav.profile')}</NavLink>
        <NavLink to={PAGES.security}>{t('nav.security')}</NavLink>
        {user && mayOpenConsole(user.role) ? <NavLink to={PAGES.console}>{t('nav.console')}</NavLink> : null}
      </nav>
      <div className="top-end">
        <PreferenceControls />
        <NotificationsMenu />
        <span className="who">{user?.displayName}</span>
        <button
          type="button"
          onClick={() =>
            void client.auth.logout().finally(() => void navigate(PAGES.signIn, { replace: true }))
          }
        >
          {t('nav.signOut')}
        </button>
      </div>
    </header>
  );
}

/** Pages for signed-in users: a session is resumed first; without one, the sign-in page. */
export function SignedInLayout() {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <p role="status">{t('app.loading')}</p>;
  if (user === null) return <Navigate to={PAGES.signIn} replace state={{ from: location.pathname }} />;
  return (
    <ChatProvider key={user.id}>
      <TopBar />
      <Outlet />
      <Toast />
    </ChatProvider>
  );
}
