import { useEffect, useState } from 'react';
import { messageOf } from '../api/api-error.js';
import type { Identity, SessionView } from '../api/types.js';
import { FormError } from '../components/form-parts.js';
import { useSession } from '../session/session-context.js';
import { TwoFactorSetupSection } from './two-factor-setup.js';

/** Sessions (revocable), two-factor setup and the linked sign-in providers. */
export function SecurityPage() {
  const { api } = useSession();
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [identities, setIdentities] = useState<Identity[]>([]);
  const [error, setError] = useState<string | null>(null);

  // Bumped after a change, so the lists are read again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    Promise.all([api.sessions(), api.identities()]).then(
      ([s, i]) => {
        if (!current) return;
        setSessions(s);
        setIdentities(i);
      },
      (failure: unknown) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, version]);

  const revoke = (id: string) =>
    api.revokeSession(id).then(
      () => setVersion((v) => v + 1),
      (failure: unknown) => setError(messageOf(failure)),
    );

  return (
    <main className="narrow">
      <h1>Security</h1>
      <FormError message={error} />
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <ul aria-label="Sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              {s.device ?? 'Unknown device'} {s.ip ? `(${s.ip})` : ''} — last used{' '}
              <time dateTime={s.lastUsedAt}>{new Date(s.lastUsedAt).toLocaleString()}</time>
              {s.current ? (
                <strong> (this session)</strong>
              ) : (
                <button
                  type="button"
                  onClick={() => void revoke(s.id)}
                  aria-label={`Sign out ${s.device ?? 'session'}`}
                >
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <TwoFactorSetupSection />
      <section aria-labelledby="identities-title">
        <h2 id="identities-title">Linked sign-in providers</h2>
        {identities.length === 0 ? (
          <p>None: you sign in with your password.</p>
        ) : (
          <ul aria-label="Linked providers">
            {identities.map((i) => (
              <li key={i.provider}>
                {i.provider} {i.email ? `(${i.email})` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
