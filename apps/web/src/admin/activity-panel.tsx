import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import type { AdminSummary, SignInActivity } from '../sdk.js';
import { useSession } from '../session/session-context.js';
import { SignInChart } from './sign-in-chart.js';
import { usePolling } from './use-polling.js';

/** How often the online count is read again (GET /admin/activity/online is not audited, so it may). */
const ONLINE_EVERY_MS = 10_000;

/** For admins: who is online now (polled), the directory's totals, and the sign-in chart. */
export function ActivityPanel() {
  const { t } = useTranslation();
  const { api } = useSession();
  const [summary, setSummary] = useState<AdminSummary | null>(null);
  const [bucket, setBucket] = useState<SignInActivity['bucket']>('hour');
  const [activity, setActivity] = useState<SignInActivity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const online = usePolling(
    useCallback(() => api.getOnlineCount(), [api]),
    ONLINE_EVERY_MS,
  );

  useEffect(() => {
    let live = true;
    api.getAdminSummary().then(
      (next) => live && setSummary(next),
      (failure: unknown) => live && setError(failureText(failure, t)),
    );
    return () => {
      live = false;
    };
  }, [api, t]);

  useEffect(() => {
    let live = true;
    api.getSignInActivity({ query: { bucket } }).then(
      (next) => live && setActivity(next),
      (failure: unknown) => live && setError(failureText(failure, t)),
    );
    return () => {
      live = false;
    };
  }, [api, bucket, t]);

  const count = online?.online ?? summary?.online;
  return (
    <section aria-labelledby="activity-title" className="activity">
      <h2 id="activity-title" className="visually-hidden">
        {t('admin.chartTitle')}
      </h2>
      <FormError message={error} />
      <dl className="stats">
        <div>
          <dt>{t('admin.online')}</dt>
          <dd aria-live="polite" data-testid="online-count">
            {count ?? '…'}
          </dd>
        </div>
        <div>
          <dt>{t('admin.totalUsers')}</dt>
          <dd>{summary?.users.total ?? '…'}</dd>
        </div>
        <div>
          <dt>{t('admin.activeSessions')}</dt>
          <dd>{summary?.sessions.active ?? '…'}</dd>
        </div>
      </dl>
      <div className="chart-head">
        <h3>{t('admin.chartTitle')}</h3>
        <label htmlFor="chart-range">{t('admin.chartRange')}</label>
        <select
          id="chart-range"
          value={bucket}
          onChange={(event) => setBucket(event.target.value === 'day' ? 'day' : 'hour')}
        >
          <option value="hour">{t('admin.range24h')}</option>
          <option value="day">{t('admin.range30d')}</option>
        </select>
      </div>
      {activity ? <SignInChart activity={activity} /> : null}
    </section>
  );
}
