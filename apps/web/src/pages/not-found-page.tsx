import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PAGES } from '../page-paths.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <main className="narrow">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to={PAGES.messages}>{t('notFound.home')}</Link>
      </p>
    </main>
  );
}
