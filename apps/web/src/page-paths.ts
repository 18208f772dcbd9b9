/**
 * The SPA's own page paths. None may start with an API prefix of the edge (EDGE_ROUTES: /login,
 * /register, /email, /password, /account, /chat, ...), or the edge would send the page to a service;
 * page-paths.test.ts holds them to that. The mailed links (packages/db identity, LINK_PATHS) open
 * /verify-email, /reset-password, /revert-email and /unlock-account under PUBLIC_WEB_URL.
 */
export const PAGES = {
  home: '/',
  signIn: '/sign-in',
  /** Where a provider's sign-in returns (auth's default OAUTH_SUCCESS_REDIRECT_URL). */
  oauthDone: '/sign-in/oauth',
  signUp: '/sign-up',
  forgotPassword: '/forgot-password',
  verifyEmail: '/verify-email',
  resetPassword: '/reset-password',
  revertEmail: '/revert-email',
  unlockAccount: '/unlock-account',
  messages: '/messages',
  profile: '/settings/profile',
  security: '/settings/security',
  // Not /admin: that prefix is the admin service's API.
  console: '/console',
  consoleAudit: '/console/audit-log',
  consoleModeration: '/console/moderation',
} as const;

/** The page of one conversation. */
export function conversationPath(conversationId: string): string {
  return `${PAGES.messages}/${encodeURIComponent(conversationId)}`;
}

/** The direct conversation with a user, before or after its first message. */
export function directPath(userId: string): string {
  return `${PAGES.messages}/@${encodeURIComponent(userId)}`;
}

/** A conversation opened at one message (a search hit): its window is loaded and the message highlighted. */
export function messageHitPath(conversationId: string, messageId: string, seq: number): string {
  const query = new URLSearchParams({ message: messageId, seq: String(seq) });
  return `${conversationPath(conversationId)}?${query.toString()}`;
}
