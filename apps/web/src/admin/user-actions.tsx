import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import type { DirectoryUser, User } from '../sdk.js';

const ROLE_CHOICES: User['role'][] = ['user', 'manager', 'admin'];

/** A change an admin makes to one account, always confirmed first. */
export type UserChange =
  | { kind: 'role'; role: User['role'] }
  | { kind: 'lock' }
  | { kind: 'unlock' }
  | { kind: 'remove' }
  | { kind: 'restore' };

/** The role picker and the lifecycle buttons of one row; each change asks before it runs. */
export function UserActions({
  user,
  onChange,
}: {
  user: DirectoryUser;
  onChange(change: UserChange): Promise<void>;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<UserChange | null>(null);
  const name = user.displayName;
  const deleted = user.accountStatus === 'deactivated';
  const question = (change: UserChange): string => {
    switch (change.kind) {
      case 'role':
        return t('admin.confirmRole', { name, role: t(`admin.roles.${change.role}`) });
      case 'lock':
        return t('admin.confirmLock', { name });
      case 'unlock':
        return t('admin.confirmUnlock', { name });
      case 'remove':
        return t('admin.confirmRemove', { name });
      case 'restore':
        return t('admin.confirmRestore', { name });
    }
  };
  return (
    <div className="row-actions" role="group" aria-label={t('admin.actionsFor', { name })}>
      {deleted ? (
        <button type="button" onClick={() => setAsking({ kind: 'restore' })}>
          {t('admin.restore')}
        </button>
      ) : (
        <>
          <select
            aria-label={t('admin.changeRole', { name })}
            value={user.role}
            onChange={(event) => {
              const role = ROLE_CHOICES.find((r) => r === event.target.value);
              if (role && role !== user.role) setAsking({ kind: 'role', role });
            }}
          >
            {ROLE_CHOICES.map((role) => (
              <option key={role} value={role}>
                {t(`admin.roles.${role}`)}
              </option>
            ))}
          </select>
          {user.accountStatus === 'suspended' ? (
            <button type="button" onClick={() => setAsking({ kind: 'unlock' })}>
              {t('admin.unlock')}
            </button>
          ) : (
            <button type="button" onClick={() => setAsking({ kind: 'lock' })}>
              {t('admin.lock')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setAsking({ kind: 'remove' })}>
            {t('admin.remove')}
          </button>
        </>
      )}
      {asking ? (
        <ConfirmDialog
          question={question(asking)}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            const change = asking;
            setAsking(null);
            void onChange(change);
          }}
        />
      ) : null}
    </div>
  );
}
