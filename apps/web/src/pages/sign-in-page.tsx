import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';

/** The second step when the account has 2FA: a code from the app, or one recovery code. */
function TwoFactorStep({ challenge, onDone }: { challenge: string; onDone(): void }) {
  const { t } = useTranslation();
  const { client } = useSession();
  const [recovery, setRecovery] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const value = text(form, 'code').trim();
    await client.auth.completeTotp(
      recovery ? { challenge, recoveryCode: value } : { challenge, code: value },
    );
    onDone();
  });
  return (
    <form onSubmit={onSubmit} aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t('signIn.twoFactorTitle')}</h2>
      <Field
        key={recovery ? 'recovery' : 'code'}
        label={recovery ? t('signIn.recoveryCode') : t('signIn.authCode')}
        name="code"
        required
        autoFocus
        autoComplete="one-time-code"
        inputMode={recovery ? 'text' : 'numeric'}
      />
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        {t('signIn.verify')}
      </button>
      <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
        {recovery ? t('signIn.useAuthCode') : t('signIn.useRecoveryCode')}
      </button>
    </form>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const { client } = useSession();
  const navigate = useNavigate();
  const [challenge, setChallenge] = useState<string | null>(null);
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
            <input id="remember" name="remember" type="checkbox" />
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
      <p>
        <Link to={PAGES.forgotPassword}>{t('signIn.forgot')}</Link> · {t('signIn.noAccount')}{' '}
        <Link to={PAGES.signUp}>{t('signIn.signUp')}</Link>
      </p>
    </main>
  );
}
