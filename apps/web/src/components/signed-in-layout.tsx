import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { ChatProvider, useChat } from '../chat/chat-provider.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';
import { NotificationsMenu, Toast } from './notifications.js';

function TopBar() {
  const { api, user } = useSession();
  const { state } = useChat();
  const navigate = useNavigate();
  const unread = Object.values(state.conversations).reduce((sum, c) => sum + c.unread, 0);
  return (
    <header className="top">
      <nav aria-label="Main">
        <NavLink to={PAGES.messages}>
          Messages{unread > 0 ? <span className="badge"> {unread}</span> : null}
        </NavLink>
        <NavLink to={PAGES.profile}>Profile</NavLink>
        <NavLink to={PAGES.security}>Security</NavLink>
      </nav>
      <NotificationsMenu />
      <span className="who">{user?.displayName}</span>
      <button
        type="button"
        onClick={() => void api.signOut().finally(() => void navigate(PAGES.signIn, { replace: true }))}
      >
        Sign out
      </button>
    </header>
  );
}

/** Pages for signed-in users: a session is resumed first; without one, the sign-in page. */
export function SignedInLayout() {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <p role="status">Loading…</p>;
  if (user === null) return <Navigate to={PAGES.signIn} replace state={{ from: location.pathname }} />;
  return (
    <ChatProvider key={user.id}>
      <TopBar />
      <Outlet />
      <Toast />
    </ChatProvider>
  );
}
