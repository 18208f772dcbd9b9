import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client.js';
import type { User } from '../api/types.js';

interface Session {
  api: ApiClient;
  /** The signed-in user; null when signed out; undefined while a stored session is being resumed. */
  user: User | null | undefined;
  setUser(user: User): void;
}

const SessionContext = createContext<Session | null>(null);

/** Holds the one API client of the page and who is signed in; resumes a session after a reload. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useMemo(() => new ApiClient(), []);
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    const off = api.onSession(setUser);
    let cancelled = false;
    void api.resume().then((resumed) => {
      if (!cancelled && !resumed) setUser((current) => current ?? null);
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [api]);

  const value = useMemo(() => ({ api, user, setUser }), [api, user]);
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
