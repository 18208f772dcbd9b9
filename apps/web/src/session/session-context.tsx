import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createClient, type PlatformClient } from '@platform/client';
import type { User } from '../sdk.js';

interface Session {
  /** The page's one SDK client: cookie mode at the page's own origin. */
  client: PlatformClient;
  /** Its typed REST calls (`api.getProfile()`...). */
  api: PlatformClient['api'];
  /** The signed-in user; null when signed out; undefined while a stored session is being resumed. */
  user: User | null | undefined;
  setUser(user: User): void;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Holds the page's SDK client and who is signed in. A reload resumes the session from auth's httpOnly
 * refresh cookie (`auth.restore()`); any sign-out (this tab, another tab, a refused refresh, the socket
 * closed with 4001 after a lock or revocation) shows the sign-in page.
 */
export function SessionProvider({
  children,
  client: given,
}: {
  children: ReactNode;
  client?: PlatformClient;
}) {
  const client = useMemo(() => given ?? createClient(), [given]);
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    const offIn = client.on('signedIn', ({ user: signedIn }) => setUser(signedIn));
    const offOut = client.on('signedOut', () => setUser(null));
    let cancelled = false;
    client.auth.restore().then(
      (restored) => {
        if (!cancelled) setUser((current) => restored ?? current ?? null);
      },
      () => {
        if (!cancelled) setUser((current) => current ?? null);
      },
    );
    return () => {
      cancelled = true;
      offIn();
      offOut();
    };
  }, [client]);

  const value = useMemo(() => ({ client, api: client.api, user, setUser }), [client, user]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user, for pages behind RequireSession. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
