import { useTranslation } from 'react-i18next';
import { Navigate, NavLink } from 'react-router';
import { PAGES } from '../page-paths.js';
import { useUser } from '../session/session-context.js';
import { ActivityPanel } from './activity-panel.js';
import { AuditLog } from './audit-log.js';
import { mayOpenConsole } from './console-access.js';
import { ModerationPanel } from './moderation-panel.js';
import { UsersTable } from './users-table.js';

/**
 * The admin console: `/console` (activity and the directory), `/console/audit-log` and
 * `/console/moderation`. What a role sees follows the API's RBAC matrix: managers get the directory
 * without its controls; the activity panel, the audit log and moderation are for admins
 * (admin:summary, audit:read, chat:moderate).
 */
export function ConsolePage({ section }: { section: 'users' | 'audit' | 'moderation' }) {
  const { t } = useTranslation();
  const { role } = useUser();
  if (!mayOpenConsole(role)) return <Navigate to={PAGES.messages} replace />;
  const admin = role === 'admin';
  if (section !== 'users' && !admin) return <Navigate to={PAGES.console} replace />;
  return (
    <main className="console">
      <h1>{t('admin.title')}</h1>
      {admin ? (
        <nav className="tabs" aria-label={t('admin.sections')}>
          <NavLink to={PAGES.console} end>
            {t('admin.users')}
          </NavLink>
          <NavLink to={PAGES.consoleAudit}>{t('admin.audit')}</NavLink>
          <NavLink to={PAGES.consoleModeration}>{t('moderation.title')}</NavLink>
        </nav>
      ) : null}
      {section === 'audit' ? (
        <AuditLog />
      ) : section === 'moderation' ? (
        <ModerationPanel />
      ) : (
        <>
          {admin ? <ActivityPanel /> : null}
          <UsersTable canWrite={admin} />
        </>
      )}
    </main>
  );
}
