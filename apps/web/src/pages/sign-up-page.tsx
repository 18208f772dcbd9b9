import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Field, FormError, FormStatus } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';

/** Registration: the server judges the password and its problem's `detail` says why one is weak. */
export function SignUpPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const email = text(form, 'email');
    const displayName = text(form, 'displayName').trim();
    await api.register({
      body: { email, password: text(form, 'password'), ...(displayName ? { displayName } : {}) },
    });
    setSentTo(email);
  });

  if (sentTo !== null) {
    return (
      <main className="narrow">
        <h1>{t('signUp.checkMail')}</h1>
        <FormStatus message={t('signUp.sent', { email: sentTo })} />
        <p>
          <Link to={PAGES.signIn}>{t('signUp.goToSignIn')}</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="narrow">
      <h1>{t('signUp.title')}</h1>
      <form onSubmit={onSubmit} aria-label={t('signUp.submit')}>
        <Field label={t('signUp.displayName')} name="displayName" autoComplete="nickname" maxLength={100} />
        <Field label={t('signIn.email')} name="email" type="email" autoComplete="email" required />
        <Field
          label={t('signIn.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={t('signUp.passwordHint')}
        />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {t('signUp.submit')}
        </button>
      </form>
      <p>
        {t('signUp.already')} <Link to={PAGES.signIn}>{t('signIn.title')}</Link>
      </p>
    </main>
  );
}
