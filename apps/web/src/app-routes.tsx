import { createBrowserRouter, Navigate } from 'react-router';
import { ConsolePage } from './admin/console-page.js';
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
import { ProfilePage } from './pages/profile-page.js';
import { SecurityPage } from './pages/security-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { SignUpPage } from './pages/sign-up-page.js';

/** Every page of the app; page-paths.ts keeps them clear of the API's paths. */
export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [
      { path: PAGES.signIn, element: <SignInPage /> },
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
      { path: PAGES.profile, element: <ProfilePage /> },
      { path: PAGES.security, element: <SecurityPage /> },
      { path: PAGES.console, element: <ConsolePage section="users" /> },
      { path: PAGES.consoleAudit, element: <ConsolePage section="audit" /> },
    ],
  },
]);
