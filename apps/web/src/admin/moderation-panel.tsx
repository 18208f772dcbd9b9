import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { displayText } from '../chat/message-text.js';
import { FormError, FormStatus } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import type { HeldMessage, ModerationSummary } from '../sdk.js';
import { useSession } from '../session/session-context.js';

/**
 * For admins (`chat:moderate`): the chat's health (the review queue's length and the last day's
 * sentiment) and the review queue itself, oldest first, with approve and reject. Held text is shown
 * as text, never as markup, like every message.
 */
export function ModerationPanel() {
  const { t, i18n } = useTranslation();
  const { api } = useSession();
  const [summary, setSummary] = useState<ModerationSummary | null>(null);
  const [held, setHeld] = useState<HeldMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(() => {
    let live = true;
    Promise.all([api.getModerationSummary(), api.listHeldMessages()]).then(
      ([nextSummary, page]) => {
        if (!live) return;
        setSummary(nextSummary);
        setHeld(page.items);
      },
      (failure: unknown) => live && setError(failureText(failure, t)),
    );
    return () => {
      live = false;
    };
  }, [api, t]);
  useEffect(load, [load]);

  const decide = async (message: HeldMessage, approve: boolean) => {
    setError(null);
    try {
      const params = { params: { id: message.id } };
      await (approve ? api.approveHeldMessage(params) : api.rejectHeldMessage(params));
      setHeld((current) => current?.filter((item) => item.id !== message.id) ?? null);
      setSummary((current) =>
        current ? { ...current, pending: Math.max(0, current.pending - 1) } : current,
      );
      setStatus(approve ? t('moderation.approved') : t('moderation.rejected'));
    } catch (failure) {
      setError(failureText(failure, t));
    }
  };

  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const sentiment = summary?.sentiment;
  return (
    <section aria-labelledby="moderation-title" className="moderation">
      <h2 id="moderation-title">{t('moderation.title')}</h2>
      <FormError message={error} />
      <FormStatus message={status} />
      <dl className="stats">
        <div>
          <dt>{t('moderation.pending')}</dt>
          <dd>{summary?.pending ?? '…'}</dd>
        </div>
        <div>
          <dt>{t('moderation.positive')}</dt>
          <dd>{sentiment?.positive ?? '…'}</dd>
        </div>
        <div>
          <dt>{t('moderation.neutral')}</dt>
          <dd>{sentiment?.neutral ?? '…'}</dd>
        </div>
        <div>
          <dt>{t('moderation.negative')}</dt>
          <dd>{sentiment?.negative ?? '…'}</dd>
        </div>
      </dl>
      <h3>{t('moderation.queue')}</h3>
      {held?.length === 0 ? <p>{t('moderation.empty')}</p> : null}
      <ul className="held-list" aria-label={t('moderation.queue')}>
        {(held ?? []).map((message) => (
          <li key={message.id}>
            <p className="held-text">{displayText(message.text)}</p>
            <p className="held-meta">
              {t('moderation.flagged', { terms: message.terms.join(', ') })} ·{' '}
              <time dateTime={message.at}>{time.format(new Date(message.at))}</time>
            </p>
            <button
              type="button"
              aria-label={t('moderation.approveOne', { text: displayText(message.text) })}
              onClick={() => void decide(message, true)}
            >
              {t('moderation.approve')}
            </button>
            <button
              type="button"
              aria-label={t('moderation.rejectOne', { text: displayText(message.text) })}
              onClick={() => void decide(message, false)}
            >
              {t('moderation.reject')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
