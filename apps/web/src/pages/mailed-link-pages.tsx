import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Field, FormError, FormStatus } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';

/** The token a mailed link carries (`?token=`). */
function useLinkToken(): string {
  const [params] = useSearchParams();
  return params.get('token') ?? '';
}

/**
 * A page a mailed link opens that spends its token on one click. Not on load: mail scanners that fetch
 * links would otherwise use the token up before the person does.
 */
function ConfirmLinkPage(props: {
  title: string;
  intro: string;
  action: string;
  done: string;
  run(token: string): Promise<unknown>;
}) {
  const { t } = useTranslation();
  const token = useLinkToken();
  const [finished, setFinished] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async () => {
    await props.run(token);
    setFinished(true);
  });
  return (
    <main className="narrow">
      <h1>{props.title}</h1>
      {finished ? (
        <>
          <FormStatus message={props.done} />
          <p>
            <Link to={PAGES.signIn}>{t('links.continue')}</Link>
          </p>
        </>
      ) : token === '' ? (
        <FormError message={t('links.incomplete')} />
      ) : (
        <form onSubmit={onSubmit} aria-label={props.title}>
          <p>{props.intro}</p>
          <FormError message={error} />
          <button type="submit" disabled={busy}>
            {props.action}
          </button>
        </form>
      )}
    </main>
  );
}

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  return (
    <ConfirmLinkPage
      title={t('links.verifyTitle')}
      intro={t('links.verifyIntro')}
      action={t('links.verifyAction')}
      done={t('links.verifyDone')}
      run={(token) => api.verifyEmail({ body: { token } })}
    />
  );
}

export function RevertEmailPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  return (
    <ConfirmLinkPage
      title={t('links.revertTitle')}
      intro={t('links.revertIntro')}
      action={t('links.revertAction')}
      done={t('links.revertDone')}
      run={(token) => api.revertEmailChange({ body: { token } })}
    />
  );
}

export function UnlockAccountPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  return (
    <ConfirmLinkPage
      title={t('links.unlockTitle')}
      intro={t('links.unlockIntro')}
      action={t('links.unlockAction')}
      done={t('links.unlockDone')}
      run={(token) => api.unlockAccount({ body: { token } })}
    />
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const token = useLinkToken();
  const [finished, setFinished] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    await api.resetPassword({ body: { token, password: text(form, 'password') } });
    setFinished(true);
  });
  return (
    <main className="narrow">
      <h1>{t('links.resetTitle')}</h1>
      {finished ? (
        <>
          <FormStatus message={t('links.resetDone')} />
          <Link to={PAGES.signIn}>{t('signIn.title')}</Link>
        </>
      ) : (
        <form onSubmit={onSubmit} aria-label={t('links.resetTitle')}>
          <Field
            label={t('links.newPassword')}
            name="password"
            type="password"
            autoComplete="new-password"
            required
          />
          <FormError message={error} />
          <button type="submit" disabled={busy || token === ''}>
            {t('links.setPassword')}
          </button>
        </form>
      )}
    </main>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const [sent, setSent] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    await api.forgotPassword({ body: { email: text(form, 'email') } });
    setSent(true);
  });
  return (
    <main className="narrow">
      <h1>{t('links.forgotTitle')}</h1>
      {sent ? (
        <FormStatus message={t('links.forgotSent')} />
      ) : (
        <form onSubmit={onSubmit} aria-label={t('links.forgotForm')}>
          <Field label={t('signIn.email')} name="email" type="email" autoComplete="email" required />
          <FormError message={error} />
          <button type="submit" disabled={busy}>
            {t('links.sendReset')}
          </button>
        </form>
      )}
      <p>
        <Link to={PAGES.signIn}>{t('links.backToSignIn')}</Link>
      </p>
    </main>
  );
}
