import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/api-error.js';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';

/** The second step when the account has 2FA: a code from the app, or one recovery code. */
function TwoFactorStep({ challenge, onDone }: { challenge: string; onDone(): void }) {
  const { api } = useSession();
  const [recovery, setRecovery] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const value = text(form, 'code').trim();
    await api.signInWithCode(challenge, recovery ? { recoveryCode: value } : { code: value });
    onDone();
  });
  return (
    <form onSubmit={onSubmit} aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor authentication</h2>
      <Field
        key={recovery ? 'recovery' : 'code'}
        label={recovery ? 'Recovery code' : 'Authentication code'}
        name="code"
        required
        autoFocus
        autoComplete="one-time-code"
        inputMode={recovery ? 'text' : 'numeric'}
      />
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        Verify
      </button>
      <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
        {recovery ? 'Use an authentication code' : 'Use a recovery code instead'}
      </button>
    </form>
  );
}

export function SignInPage() {
  const { api } = useSession();
  const navigate = useNavigate();
  const [challenge, setChallenge] = useState<string | null>(null);
  const done = () => void navigate(PAGES.messages, { replace: true });
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    try {
      await api.signIn(text(form, 'email'), text(form, 'password'), form.get('remember') === 'on');
      done();
    } catch (failure) {
      const next = failure instanceof ApiError ? failure.body.challenge : undefined;
      if (failure instanceof ApiError && failure.code === 'totp_required' && typeof next === 'string') {
        setChallenge(next);
        return;
      }
      throw failure;
    }
  });

  return (
    <main className="narrow">
      <h1>Sign in</h1>
      {challenge === null ? (
        <form onSubmit={onSubmit} aria-label="Sign in">
          <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required />
          <div className="check">
            <input id="remember" name="remember" type="checkbox" />
            <label htmlFor="remember">Remember me on this device</label>
          </div>
          <FormError message={error} />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      ) : (
        <TwoFactorStep challenge={challenge} onDone={done} />
      )}
      <p>
        <Link to={PAGES.forgotPassword}>Forgot your password?</Link> · No account?{' '}
        <Link to={PAGES.signUp}>Sign up</Link>
      </p>
    </main>
  );
}
