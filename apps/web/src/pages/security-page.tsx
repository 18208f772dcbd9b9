import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import type { Identity, SessionView } from '../sdk.js';
import { useSession } from '../session/session-context.js';
import { TwoFactorSetupSection } from './two-factor-setup.js';

/** Sessions (revocable), two-factor setup and the linked sign-in providers. */
export function SecurityPage() {
  const { t, i18n } = useTranslation();
  const { api } = useSession();
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [identities, setIdentities] = useState<Identity[]>([]);
  const [error, setError] = useState<string | null>(null);

  // Bumped after a change, so the lists are read again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    Promise.all([api.listSessions(), api.listIdentities()]).then(
      ([s, i]) => {
        if (!current) return;
        setSessions(s.sessions);
        setIdentities(i.identities);
      },
      (failure: unknown) => current && setError(failureText(failure, t)),
    );
    return () => {
      current = false;
    };
  }, [api, version, t]);

  const revoke = (id: string) =>
    api.revokeSession({ params: { id } }).then(
      () => setVersion((v) => v + 1),
      (failure: unknown) => setError(failureText(failure, t)),
    );

  return (
    <main className="narrow">
      <h1>{t('security.title')}</h1>
      <FormError message={error} />
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('security.sessions')}</h2>
        <ul aria-label={t('security.sessions')}>
          {sessions.map((s) => (
            <li key={s.id}>
              {s.device ?? t('security.unknownDevice')} {s.ip ? `(${s.ip})` : ''} — {t('security.lastUsed')}{' '}
              <time dateTime={s.lastUsedAt}>{new Date(s.lastUsedAt).toLocaleString(i18n.language)}</time>
              {s.current ? (
                <strong> {t('security.thisSession')}</strong>
              ) : (
                <button
                  type="button"
                  onClick={() => void revoke(s.id)}
                  aria-label={t('security.signOutSession', { device: s.device ?? t('security.session') })}
                >
                  {t('nav.signOut')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <TwoFactorSetupSection />
      <section aria-labelledby="identities-title">
        <h2 id="identities-title">{t('security.providers')}</h2>
        {identities.length === 0 ? (
          <p>{t('security.noProviders')}</p>
        ) : (
          <ul aria-label={t('security.linked')}>
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
