import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FormError, FormStatus } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { useSession, useUser } from '../session/session-context.js';
import { AvatarEditor } from './avatar-editor.js';

/** The caller's display name and status text (users: PATCH /profile). */
export function ProfilePage() {
  const { t } = useTranslation();
  const { api, setUser } = useSession();
  const user = useUser();
  const [saved, setSaved] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    setSaved(false);
    setUser(
      await api.updateProfile({
        body: { displayName: text(form, 'displayName'), status: text(form, 'status') },
      }),
    );
    setSaved(true);
  });
  return (
    <main className="narrow">
      <h1>{t('profile.title')}</h1>
      <p>
        {t('profile.signedInAs')} <strong>{user.email}</strong>{' '}
        {user.emailVerified ? t('profile.verified') : t('profile.notVerified')}
      </p>
      <AvatarEditor />
      <form onSubmit={onSubmit} aria-label={t('profile.title')}>
        <Field
          label={t('signUp.displayName')}
          name="displayName"
          defaultValue={user.displayName}
          required
          maxLength={100}
        />
        <Field label={t('profile.status')} name="status" defaultValue={user.status ?? ''} maxLength={140} />
        <FormError message={error} />
        <FormStatus message={saved ? t('profile.saved') : null} />
        <button type="submit" disabled={busy}>
          {t('profile.save')}
        </button>
      </form>
    </main>
  );
}
