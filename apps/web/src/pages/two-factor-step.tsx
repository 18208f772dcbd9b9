import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { useSession } from '../session/session-context.js';

/** The second step when the account has 2FA: a code from the app, or one recovery code. */
export function TwoFactorStep({ challenge, onDone }: { challenge: string; onDone(): void }) {
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
