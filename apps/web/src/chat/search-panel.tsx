import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import { messageHitPath } from '../page-paths.js';
import type { Message } from '../sdk.js';
import { useSession, useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import { conversationTitle } from './conversation-list.js';
import { displayText } from './message-text.js';
import { dateTimeOf, personLabel } from './people.js';

/**
 * Full-text search over the caller's conversations (`GET /chat/search`). Each hit links to its
 * conversation opened at that message: the history around it is loaded and the message highlighted.
 */
export function SearchPanel() {
  const { t } = useTranslation();
  const { api } = useSession();
  const me = useUser().id;
  const { state } = useChat();
  const [hits, setHits] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <div className="search">
      <form
        role="search"
        aria-label={t('search.title')}
        onSubmit={(event) => {
          event.preventDefault();
          const q = String(new FormData(event.currentTarget).get('q') ?? '').trim();
          if (q === '') return setHits(null);
          setBusy(true);
          setError(null);
          api
            .searchMessages({ query: { q } })
            .then(
              (answer) => setHits(answer.items),
              (failure: unknown) => setError(failureText(failure, t)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <label htmlFor="message-search" className="visually-hidden">
          {t('search.label')}
        </label>
        <input id="message-search" name="q" type="search" placeholder={t('search.label')} maxLength={200} />
        <button type="submit" disabled={busy}>
          {t('search.submit')}
        </button>
      </form>
      <FormError message={error} />
      {hits === null ? null : (
        <section aria-label={t('search.results')}>
          <p role="status">{t('search.count', { count: hits.length })}</p>
          <ul className="hits">
            {hits.map((hit) => {
              const conversation = state.conversations[hit.conversationId];
              const where = conversation ? conversationTitle(conversation, me, state.names) : '';
              return (
                <li key={hit.id}>
                  <Link
                    to={messageHitPath(hit.conversationId, hit.id, hit.seq)}
                    onClick={() => setHits(null)}
                  >
                    <span className="hit-text" dir="auto">
                      {displayText(hit.text)}
                    </span>{' '}
                    <small>
                      {personLabel(hit.from, me, state.names)} · {where} · {dateTimeOf(hit.at)}
                    </small>
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
