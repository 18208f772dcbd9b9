import { useState } from 'react';
import { Field, FormError, FormStatus } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { useSession, useUser } from '../session/session-context.js';

/** The caller's display name and status text (users: PATCH /profile). */
export function ProfilePage() {
  const { api, setUser } = useSession();
  const user = useUser();
  const [saved, setSaved] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    setSaved(false);
    setUser(
      await api.updateProfile({ displayName: text(form, 'displayName'), status: text(form, 'status') }),
    );
    setSaved(true);
  });
  return (
    <main className="narrow">
      <h1>Profile</h1>
      <p>
        Signed in as <strong>{user.email}</strong>
        {user.emailVerified ? ' (verified)' : ' (not verified yet)'}
      </p>
      <form onSubmit={onSubmit} aria-label="Profile">
        <Field
          label="Display name"
          name="displayName"
          defaultValue={user.displayName}
          required
          maxLength={100}
        />
        <Field label="Status" name="status" defaultValue={user.status ?? ''} maxLength={140} />
        <FormError message={error} />
        <FormStatus message={saved ? 'Profile saved.' : null} />
        <button type="submit" disabled={busy}>
          Save profile
        </button>
      </form>
    </main>
  );
}
