import { useEffect, useReducer, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PresenceDot, useWatchPresence } from '../chat/presence-dot.js';
import { FormError, FormStatus } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import type { DirectoryUser, UserPage } from '../sdk.js';
import { useSession } from '../session/session-context.js';
import { directoryReducer, initialDirectoryQuery, pageCount } from './directory-state.js';
import { InviteForm } from './invite-form.js';
import { UserActions, type UserChange } from './user-actions.js';
import { UserFilters } from './user-filters.js';

/**
 * The user directory: filters, one page at a time, and (for admins) the invitation form and each
 * row's changes. Managers read it only: the controls they cannot use are not there.
 */
export function UsersTable({ canWrite }: { canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { api } = useSession();
  const [query, dispatch] = useReducer(directoryReducer, initialDirectoryQuery);
  const [page, setPage] = useState<UserPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // Bumped after a change, so the page is read again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.listUsers({ query }).then(
      (next) => {
        if (!live) return;
        setPage(next);
        setError(null);
      },
      (failure: unknown) => live && setError(failureText(failure, t)),
    );
    return () => {
      live = false;
    };
  }, [api, query, version, t]);
  // Every listed account's dot changes live, as everywhere else a person is shown.
  useWatchPresence(page?.users.map((u) => u.id) ?? []);

  const change = async (user: DirectoryUser, what: UserChange) => {
    setStatus(null);
    setError(null);
    const params = { id: user.id };
    try {
      if (what.kind === 'role') await api.updateUser({ params, body: { role: what.role } });
      else if (what.kind === 'lock') await api.lockUser({ params });
      else if (what.kind === 'unlock') await api.unlockUser({ params });
      else if (what.kind === 'remove') await api.deleteUser({ params });
      else await api.restoreUser({ params });
      setStatus(t('admin.done', { name: user.displayName }));
    } catch (failure) {
      setError(failureText(failure, t));
    }
    setVersion((v) => v + 1);
  };

  const total = page?.total ?? 0;
  const pages = pageCount(total, query.size);
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t('admin.users')}</h2>
      {canWrite ? <InviteForm onInvited={() => setVersion((v) => v + 1)} /> : <p>{t('admin.readOnly')}</p>}
      <UserFilters query={query} onApply={(filters) => dispatch({ type: 'filter', filters })} />
      <FormError message={error} />
      <FormStatus message={status} />
      <div className="table-wrap">
        <table aria-label={t('admin.table')}>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.email')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('admin.created')}</th>
              {canWrite ? <th scope="col">{t('admin.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {page?.users.map((user) => (
              <tr key={user.id}>
                <th scope="row">
                  {user.displayName} <PresenceDot userId={user.id} />
                </th>
                <td className="email">{user.email}</td>
                <td>{t(`admin.roles.${user.role}`)}</td>
                <td>
                  <span className={`pill ${user.accountStatus}`}>
                    {t(`admin.statuses.${user.accountStatus}`)}
                  </span>
                </td>
                <td>
                  <time dateTime={user.createdAt}>
                    {new Date(user.createdAt).toLocaleDateString(i18n.language)}
                  </time>
                </td>
                {canWrite ? (
                  <td>
                    <UserActions user={user} onChange={(what) => change(user, what)} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && page.users.length === 0 ? <p>{t('admin.none')}</p> : null}
      <nav className="paging" aria-label={t('admin.paging')}>
        <button type="button" disabled={query.page <= 1} onClick={() => dispatch({ type: 'previous' })}>
          {t('admin.previous')}
        </button>
        <span aria-live="polite">{t('admin.page', { page: query.page, pages, total })}</span>
        <button
          type="button"
          disabled={query.page >= pages}
          onClick={() => dispatch({ type: 'next', total })}
        >
          {t('admin.next')}
        </button>
      </nav>
    </section>
  );
}
