import { useState } from 'react';
import { ApiError, messageOf } from '../api/api-error.js';
import type { TwoFactorSetup } from '../api/types.js';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { useSession } from '../session/session-context.js';

/**
 * Turning 2FA on: the QR code of `/2fa/setup` (a data: URL, allowed by the page's img-src), a code to
 * confirm, then the recovery codes, shown this once. Setup needs a recent sign-in: when the server asks
 * for one (reauthentication_required), the password is asked for first.
 */
export function TwoFactorSetupSection() {
  const { api } = useSession();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [needsPassword, setNeedsPassword] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  const start = async () => {
    setStartError(null);
    try {
      setSetup(await api.setUpTwoFactor());
      setNeedsPassword(false);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'reauthentication_required') setNeedsPassword(true);
      else setStartError(messageOf(error));
    }
  };
  const confirmPassword = useSubmit(async (form) => {
    await api.reauthenticate(text(form, 'password'));
    await start();
  });
  const enable = useSubmit(async (form) => {
    setCodes(await api.enableTwoFactor(text(form, 'code').trim()));
    setSetup(null);
  });

  if (codes !== null) {
    return (
      <section aria-labelledby="recovery-title">
        <h2 id="recovery-title">Recovery codes</h2>
        <p>
          Two-factor authentication is on. Keep these codes somewhere safe: each works once, and they are not
          shown again.
        </p>
        <ul className="codes" aria-label="Recovery codes">
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
      <h2 id="two-factor-title">Two-factor authentication</h2>
      {needsPassword ? (
        <form onSubmit={confirmPassword.onSubmit} aria-label="Confirm your password">
          <Field
            label="Current password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          <FormError message={confirmPassword.error} />
          <button type="submit" disabled={confirmPassword.busy}>
            Confirm
          </button>
        </form>
      ) : setup === null ? (
        <button type="button" onClick={() => void start()}>
          Set up two-factor authentication
        </button>
      ) : (
        <form onSubmit={enable.onSubmit} aria-label="Enable two-factor authentication">
          <img src={setup.qrCode} alt="QR code for your authenticator app" width={200} height={200} />
          <p>
            Or enter this key: <code>{setup.secret}</code>
          </p>
          <Field
            label="Code from your app"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
          <FormError message={enable.error} />
          <button type="submit" disabled={enable.busy}>
            Enable
          </button>
        </form>
      )}
      <FormError message={startError} />
    </section>
  );
}
