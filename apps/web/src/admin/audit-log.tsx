import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/form-parts.js';
import { text } from '../components/use-submit.js';
import { failureText } from '../i18n/failure-text.js';
import type { AuditEntry, AuditPage, AuditQuery } from '../sdk.js';
import { useSession } from '../session/session-context.js';
import { currentCursor, firstAuditPage, hasNewer, newer, older } from './audit-paging.js';

const PAGE_SIZE = 25;

/** A `datetime-local` value (the reader's time zone) as the API's ISO instant; undefined when empty. */
function instant(local: string): string | undefined {
  if (local === '') return undefined;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** What an entry says happened: the audited action, or the request line with its status. */
function whatOf(entry: AuditEntry): string {
  if (entry.action) return entry.action;
  return `${entry.method ?? ''} ${entry.path ?? ''} ${entry.status ?? ''}`.trim();
}

/** The audit log, newest first: filters, and keyset paging towards older entries and back. */
export function AuditLog() {
  const { t, i18n } = useTranslation();
  const { api } = useSession();
  const [filters, setFilters] = useState<AuditQuery>({});
  const [paging, setPaging] = useState(firstAuditPage);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.searchAuditLogs({ query: { ...filters, size: PAGE_SIZE, cursor: currentCursor(paging) } }).then(
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
  }, [api, filters, paging, t]);

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('admin.audit')}</h2>
      <form
        className="filters"
        role="search"
        aria-label={t('admin.auditFilters')}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const kind = text(form, 'kind');
          setFilters({
            action: text(form, 'action').trim() || undefined,
            actor: text(form, 'actor').trim() || undefined,
            user: text(form, 'user').trim() || undefined,
            kind: kind === 'audit' || kind === 'request' ? kind : undefined,
            from: instant(text(form, 'from')),
            to: instant(text(form, 'to')),
          });
          setPaging(firstAuditPage);
        }}
      >
        <div className="field">
          <label htmlFor="audit-action">{t('admin.action')}</label>
          <input id="audit-action" name="action" placeholder="user.lock" maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t('admin.actor')}</label>
          <input id="audit-actor" name="actor" maxLength={36} />
        </div>
        <div className="field">
          <label htmlFor="audit-user">{t('admin.involving')}</label>
          <input id="audit-user" name="user" maxLength={36} />
        </div>
        <div className="field">
          <label htmlFor="audit-kind">{t('admin.kind')}</label>
          <select id="audit-kind" name="kind" defaultValue="">
            <option value="">{t('admin.any')}</option>
            <option value="audit">{t('admin.kindAudit')}</option>
            <option value="request">{t('admin.kindRequest')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t('admin.from')}</label>
          <input id="audit-from" name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('admin.to')}</label>
          <input id="audit-to" name="to" type="datetime-local" />
        </div>
        <button type="submit">{t('admin.apply')}</button>
      </form>
      <FormError message={error} />
      <div className="table-wrap">
        <table aria-label={t('admin.audit')}>
          <thead>
            <tr>
              <th scope="col">{t('admin.when')}</th>
              <th scope="col">{t('admin.service')}</th>
              <th scope="col">{t('admin.what')}</th>
              <th scope="col">{t('admin.who')}</th>
              <th scope="col">{t('admin.target')}</th>
            </tr>
          </thead>
          <tbody>
            {page?.entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString(i18n.language)}</time>
                </td>
                <td>{entry.service}</td>
                <td className="what" dir="ltr">
                  {whatOf(entry)}
                </td>
                <td className="id">{entry.actorId ?? entry.userId ?? '—'}</td>
                <td className="id">{entry.targetId ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && page.entries.length === 0 ? <p>{t('admin.noEntries')}</p> : null}
      <nav className="paging" aria-label={t('admin.paging')}>
        <button type="button" disabled={!hasNewer(paging)} onClick={() => setPaging(newer(paging))}>
          {t('admin.newer')}
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => setPaging(older(paging, page?.nextCursor ?? null))}
        >
          {t('admin.older')}
        </button>
      </nav>
    </section>
  );
}
