import { useState } from 'react';
import { Link } from 'react-router';
import { Field, FormError, FormStatus } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { PAGES } from '../page-paths.js';
import { useSession } from '../session/session-context.js';

/** Registration: the server judges the password and its problem's `detail` says why one is weak. */
export function SignUpPage() {
  const { api } = useSession();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const email = text(form, 'email');
    await api.register(email, text(form, 'password'), text(form, 'displayName').trim() || undefined);
    setSentTo(email);
  });

  if (sentTo !== null) {
    return (
      <main className="narrow">
        <h1>Check your mail</h1>
        <FormStatus message={`We sent a verification link to ${sentTo}. Open it to verify your address.`} />
        <p>
          <Link to={PAGES.signIn}>Go to sign in</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="narrow">
      <h1>Create an account</h1>
      <form onSubmit={onSubmit} aria-label="Sign up">
        <Field label="Display name" name="displayName" autoComplete="nickname" maxLength={100} />
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="A long passphrase of several words is strongest."
        />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          Sign up
        </button>
      </form>
      <p>
        Already registered? <Link to={PAGES.signIn}>Sign in</Link>
      </p>
    </main>
  );
}
