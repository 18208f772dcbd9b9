import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';
import { OAuthButtons } from './oauth-sign-in.js';
import { TwoFactorStep } from './two-factor-step.js';

export function SignInPage() {
  const { t } = useTranslation();
  const { client } = useSession();
  const navigate = useNavigate();
  const [challenge, setChallenge] = useState<string | null>(null);
  const [remember, setRemember] = useState(false);
  const done = () => void navigate(PAGES.messages, { replace: true });
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const result = await client.auth.login({
      email: text(form, 'email'),
      password: text(form, 'password'),
      remember: form.get('remember') === 'on',
    });
    if (result.status === 'totpRequired') setChallenge(result.challenge);
    else done();
  });

  return (
    <main className="narrow">
      <h1>{t('signIn.title')}</h1>
      {challenge === null ? (
        <form onSubmit={onSubmit} aria-label={t('signIn.title')}>
          <Field
            label={t('signIn.email')}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
          />
          <Field
            label={t('signIn.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          <div className="check">
            <input
              id="remember"
              name="remember"
              type="checkbox"
              checked={remember}
              onChange={(event) => setRemember(event.target.checked)}
            />
            <label htmlFor="remember">{t('signIn.remember')}</label>
          </div>
          <FormError message={error} />
          <button type="submit" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      ) : (
        <TwoFactorStep challenge={challenge} onDone={done} />
      )}
      {challenge === null && <OAuthButtons remember={remember} />}
      <p>
        <Link to={PAGES.forgotPassword}>{t('signIn.forgot')}</Link> · {t('signIn.noAccount')}{' '}
        <Link to={PAGES.signUp}>{t('signIn.signUp')}</Link>
      </p>
    </main>
  );
}
