import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { failureText } from '../i18n/failure-text.js';
import { isApiError } from '../sdk.js';
import type { TwoFactorSetup } from '../sdk.js';
import { useSession } from '../session/session-context.js';

/**
 * Turning 2FA on: the QR code of `/2fa/setup` (a data: URL, allowed by the page's img-src), a code to
 * confirm, then the recovery codes, shown this once. Setup needs a recent sign-in: when the server asks
 * for one (reauthentication_required), the password is asked for first.
 */
export function TwoFactorSetupSection() {
  const { t } = useTranslation();
  const { api, client } = useSession();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [needsPassword, setNeedsPassword] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  const start = async () => {
    setStartError(null);
    try {
      setSetup(await api.setupTwoFactor());
      setNeedsPassword(false);
    } catch (error) {
      if (isApiError(error, 'reauthentication_required')) setNeedsPassword(true);
      else setStartError(failureText(error, t));
    }
  };
  const confirmPassword = useSubmit(async (form) => {
    await client.auth.reauthenticate({ password: text(form, 'password') });
    await start();
  });
  const enable = useSubmit(async (form) => {
    setCodes((await api.enableTwoFactor({ body: { code: text(form, 'code').trim() } })).recoveryCodes);
    setSetup(null);
  });

  if (codes !== null) {
    return (
      <section aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t('security.recoveryTitle')}</h2>
        <p>{t('security.recoveryIntro')}</p>
        <ul className="codes" aria-label={t('security.recoveryTitle')}>
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <section aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t('security.twoFactorTitle')}</h2>
      {needsPassword ? (
        <form onSubmit={confirmPassword.onSubmit} aria-label={t('security.confirmPassword')}>
          <Field
            label={t('security.currentPassword')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          <FormError message={confirmPassword.error} />
          <button type="submit" disabled={confirmPassword.busy}>
            {t('security.confirm')}
          </button>
        </form>
      ) : setup === null ? (
        <button type="button" onClick={() => void start()}>
          {t('security.setUp')}
        </button>
      ) : (
        <form onSubmit={enable.onSubmit} aria-label={t('security.enableForm')}>
          <img src={setup.qrCode} alt={t('security.qrAlt')} width={200} height={200} />
          <p>
            {t('security.orKey')} <code>{setup.secret}</code>
          </p>
          <Field
            label={t('security.appCode')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
          <FormError message={enable.error} />
          <button type="submit" disabled={enable.busy}>
            {t('security.enable')}
          </button>
        </form>
      )}
      <FormError message={startError} />
    </section>
  );
}
