import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
// First: sets the language (and <html lang dir>) before anything renders.
import './i18n/i18n.js';
import { router } from './app-routes.js';
import { SessionProvider } from './session/session-context.js';
import './theme.css';
import './styles.css';
import './admin.css';
import './media.css';

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </StrictMode>,
  );
}
