import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';
import { TwoFactorStep } from './two-factor-step.js';

interface Provider {
  id: string;
  name: string;
}

/**
 * Where a provider's sign-in starts: a plain navigation (the provider's pages are not ours to fetch).
 * Cookie mode, so the refresh token comes back as auth's httpOnly cookie and no token is ever in a URL;
 * every outcome returns to the finish page.
 */
export function oauthStartHref(provider: string, remember: boolean, origin = window.location.origin): string {
  const query = new URLSearchParams({
    tokenTransport: 'cookie',
    remember: remember ? '1' : '0',
    returnTo: `${origin}${PAGES.oauthDone}`,
  });
  return `/oauth/${encodeURIComponent(provider)}/start?${query.toString()}`;
}

/** "Continue with ..." for each provider this deployment signs in with; nothing when there are none. */
export function OAuthButtons({ remember }: { remember: boolean }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [providers, setProviders] = useState<Provider[]>([]);
  useEffect(() => {
    let live = true;
    api.listOAuthProviders().then(
      (answer) => {
        if (live) setProviders(answer.providers);
      },
      () => undefined, // no buttons: the password form still works
    );
    return () => {
      live = false;
    };
  }, [api]);
  if (providers.length === 0) return null;
  return (
    <nav aria-label={t('signIn.providers')} className="providers">
      {providers.map((provider) => (
        <a key={provider.id} className="button secondary" href={oauthStartHref(provider.id, remember)}>
          {t('signIn.continueWith', { provider: provider.name })}
        </a>
      ))}
    </nav>
  );
}

/** The second-factor challenge a provider's sign-in left in the fragment, if any. */
function challengeOf(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('totpChallenge');
}

type FailureKey =
  | 'signIn.providerCancelled'
  | 'signIn.providerExpired'
  | 'signIn.providerAccountExists'
  | 'signIn.providerFailed';

/**
 * What to tell a person whose provider sign-in failed, from the codes auth's callback put in the
 * fragment (`#error=<code>&providerError=<the provider's>`); null when it did not fail. Only codes
 * travel, so the words are ours whatever a link carries.
 */
export function providerFailureOf(hash: string): FailureKey | null {
  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  const code = fragment.get('error');
  if (code === null) return null;
  if (code === 'oauth_error' && fragment.get('providerError') === 'access_denied')
    return 'signIn.providerCancelled';
  if (code === 'invalid_state') return 'signIn.providerExpired';
  if (code === 'account_exists') return 'signIn.providerAccountExists';
  return 'signIn.providerFailed';
}

/**
 * Where a provider's sign-in comes back to. The session provider has already resumed the session from
 * the refresh cookie the callback set; an account with 2FA arrives with its challenge in the fragment
 * (never sent to a server) and finishes here as a password sign-in would; a failed one (cancelled at
 * the provider, expired, ...) arrives with its error code and is told what happened.
 */
export function OAuthDonePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();
  const [challenge] = useState(() => challengeOf(window.location.hash));
  const [failure] = useState(() => providerFailureOf(window.location.hash));
  // Back into a finished sign-in, the provider sends its spent state again: nothing to tell someone
  // who is signed in (and nothing to show while the session resumes).
  const shown = failure === 'signIn.providerExpired' && user !== null ? null : failure;
  const done = () => void navigate(PAGES.messages, { replace: true });
  useEffect(() => {
    if (user && !shown) void navigate(PAGES.messages, { replace: true });
  }, [user, shown, navigate]);
  return (
    <main className="narrow">
      <h1>{t('signIn.title')}</h1>
      {challenge ? (
        <TwoFactorStep challenge={challenge} onDone={done} />
      ) : shown !== null || user === null ? (
        <p role="alert">
          {t(shown ?? 'signIn.providerFailed')} <Link to={PAGES.signIn}>{t('signIn.title')}</Link>
        </p>
      ) : (
        <p role="status">{t('signIn.finishing')}</p>
      )}
    </main>
  );
}
