import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FormError, FormStatus } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import type { User } from '../sdk.js';
import { useSession } from '../session/session-context.js';

/** Creates an account and has the invitation mailed (POST /admin/users). */
export function InviteForm({ onInvited }: { onInvited(): void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    setSent(null);
    const email = text(form, 'email');
    const displayName = text(form, 'displayName').trim() || undefined;
    const role = (['user', 'manager', 'admin'] as const).find((r) => r === text(form, 'role'));
    await api.inviteUser({ body: { email, displayName, role } });
    setSent(email);
    onInvited();
  });
  return (
    <details className="invite">
      <summary>{t('admin.invite')}</summary>
      <form onSubmit={onSubmit} aria-label={t('admin.invite')}>
        <Field label={t('admin.email')} name="email" type="email" required autoComplete="off" />
        <Field label={t('admin.displayNameOptional')} name="displayName" maxLength={100} />
        <div className="field">
          <label htmlFor="invite-role">{t('admin.role')}</label>
          <select id="invite-role" name="role" defaultValue="user">
            {(['user', 'manager', 'admin'] as const satisfies User['role'][]).map((role) => (
              <option key={role} value={role}>
                {t(`admin.roles.${role}`)}
              </option>
            ))}
          </select>
        </div>
        <FormError message={error} />
        <FormStatus message={sent ? t('admin.invited', { email: sent }) : null} />
        <button type="submit" disabled={busy}>
          {t('admin.inviteSubmit')}
        </button>
      </form>
    </details>
  );
}
