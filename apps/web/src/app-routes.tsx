import { createBrowserRouter, Navigate } from 'react-router';
import { PublicLayout } from './components/public-layout.js';
import { SignedInLayout } from './components/signed-in-layout.js';
import { PAGES } from './page-paths.js';
import {
  ForgotPasswordPage,
  ResetPasswordPage,
  RevertEmailPage,
  UnlockAccountPage,
  VerifyEmailPage,
} from './pages/mailed-link-pages.js';
import { MessagesPage } from './pages/messages-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OAuthDonePage } from './pages/oauth-sign-in.js';
import { SignInPage } from './pages/sign-in-page.js';
import { SignUpPage } from './pages/sign-up-page.js';

// The console and the settings pages are chunks of their own, fetched when first opened: most visits
// are sign-in and messages, and the initial script stays within its budget (test/integration/budget).
const consolePage = (section: 'users' | 'audit' | 'moderation') => async () => {
  const { ConsolePage } = await import('./admin/console-page.js');
  return { Component: () => <ConsolePage section={section} /> };
};

/** Every page of the app; page-paths.ts keeps them clear of the API's paths. */
export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [
      { path: PAGES.signIn, element: <SignInPage /> },
      { path: PAGES.oauthDone, element: <OAuthDonePage /> },
      { path: PAGES.signUp, element: <SignUpPage /> },
      { path: PAGES.forgotPassword, element: <ForgotPasswordPage /> },
      { path: PAGES.verifyEmail, element: <VerifyEmailPage /> },
      { path: PAGES.resetPassword, element: <ResetPasswordPage /> },
      { path: PAGES.revertEmail, element: <RevertEmailPage /> },
      { path: PAGES.unlockAccount, element: <UnlockAccountPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    element: <SignedInLayout />,
    children: [
      { path: PAGES.home, element: <Navigate to={PAGES.messages} replace /> },
      { path: PAGES.messages, element: <MessagesPage /> },
      { path: `${PAGES.messages}/:key`, element: <MessagesPage /> },
      {
        path: PAGES.profile,
        lazy: async () => ({ Component: (await import('./pages/profile-page.js')).ProfilePage }),
      },
      {
        path: PAGES.security,
        lazy: async () => ({ Component: (await import('./pages/security-page.js')).SecurityPage }),
      },
      { path: PAGES.console, lazy: consolePage('users') },
      { path: PAGES.consoleAudit, lazy: consolePage('audit') },
      { path: PAGES.consoleModeration, lazy: consolePage('moderation') },
    ],
  },
]);
