import { useTranslation } from 'react-i18next';
import { text } from '../components/use-submit.js';
import type { DirectoryUser, User, UserQuery } from '../sdk.js';
import type { DirectoryFilters } from './directory-state.js';

const ROLES: User['role'][] = ['admin', 'manager', 'user'];
const STATUSES: DirectoryUser['accountStatus'][] = ['active', 'suspended'];

/** Search text, role, status and "deleted only", applied together with one submit. */
export function UserFilters({
  query,
  onApply,
}: {
  query: UserQuery;
  onApply(filters: DirectoryFilters): void;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="filters"
      role="search"
      aria-label={t('admin.filters')}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        onApply({
          q: text(form, 'q'),
          role: ROLES.find((r) => r === text(form, 'role')),
          status: STATUSES.find((s) => s === text(form, 'status')),
          deleted: form.get('deleted') === 'on',
        });
      }}
    >
      <div className="field">
        <label htmlFor="filter-q">{t('admin.search')}</label>
        <input id="filter-q" name="q" type="search" defaultValue={query.q ?? ''} maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="filter-role">{t('admin.role')}</label>
        <select id="filter-role" name="role" defaultValue={query.role ?? ''}>
          <option value="">{t('admin.any')}</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`admin.roles.${role}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-status">{t('admin.status')}</label>
        <select id="filter-status" name="status" defaultValue={query.status ?? ''}>
          <option value="">{t('admin.any')}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`admin.statuses.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="check">
        <input id="filter-deleted" name="deleted" type="checkbox" defaultChecked={query.deleted === true} />
        <label htmlFor="filter-deleted">{t('admin.deletedOnly')}</label>
      </div>
      <button type="submit">{t('admin.apply')}</button>
    </form>
  );
}
