import { useState } from 'react';
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
            <Link to={PAGES.signIn}>Continue to sign in</Link>
          </p>
        </>
      ) : token === '' ? (
        <FormError message="This link is incomplete: open it again from the mail." />
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
  const { api } = useSession();
  return (
    <ConfirmLinkPage
      title="Verify your email"
      intro="Confirm that this address is yours."
      action="Verify email"
      done="Your email address is verified."
      run={api.verifyEmail}
    />
  );
}

export function RevertEmailPage() {
  const { api } = useSession();
  return (
    <ConfirmLinkPage
      title="Undo the email change"
      intro="Your account's address was changed. Put the previous address back and sign out everywhere?"
      action="Restore my previous address"
      done="Your previous address is back and every session has ended."
      run={api.revertEmail}
    />
  );
}

export function UnlockAccountPage() {
  const { api } = useSession();
  return (
    <ConfirmLinkPage
      title="Unlock sign-in on this device"
      intro="Sign-in was locked after failed attempts. Trust this browser so that you can sign in from it."
      action="Trust this device"
      done="This device is trusted: you can sign in from it now."
      run={api.unlockAccount}
    />
  );
}

export function ResetPasswordPage() {
  const { api } = useSession();
  const token = useLinkToken();
  const [finished, setFinished] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    await api.resetPassword(token, text(form, 'password'));
    setFinished(true);
  });
  return (
    <main className="narrow">
      <h1>Choose a new password</h1>
      {finished ? (
        <>
          <FormStatus message="Your password is changed; every session was signed out." />
          <Link to={PAGES.signIn}>Sign in</Link>
        </>
      ) : (
        <form onSubmit={onSubmit} aria-label="Choose a new password">
          <Field label="New password" name="password" type="password" autoComplete="new-password" required />
          <FormError message={error} />
          <button type="submit" disabled={busy || token === ''}>
            Set password
          </button>
        </form>
      )}
    </main>
  );
}

export function ForgotPasswordPage() {
  const { api } = useSession();
  const [sent, setSent] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    await api.forgotPassword(text(form, 'email'));
    setSent(true);
  });
  return (
    <main className="narrow">
      <h1>Forgot your password?</h1>
      {sent ? (
        <FormStatus message="If an account has this address, a reset link is on its way." />
      ) : (
        <form onSubmit={onSubmit} aria-label="Forgot password">
          <Field label="Email" name="email" type="email" autoComplete="email" required />
          <FormError message={error} />
          <button type="submit" disabled={busy}>
            Send reset link
          </button>
        </form>
      )}
      <p>
        <Link to={PAGES.signIn}>Back to sign in</Link>
      </p>
    </main>
  );
}
