import { Link } from 'react-router';
import { PAGES } from '../page-paths.js';

export function NotFoundPage() {
  return (
    <main className="narrow">
      <h1>Page not found</h1>
      <p>
        <Link to={PAGES.messages}>Go to your messages</Link>
      </p>
    </main>
  );
}
