import { problemOf } from './api-error.js';
import type {
  AdminSummary,
  AuditPage,
  AuditQuery,
  Conversation,
  DirectoryUser,
  HistoryPage,
  Identity,
  SessionView,
  TokenPair,
  SignInActivity,
  TwoFactorSetup,
  User,
  UserPage,
  UserQuery,
} from './types.js';

/** A query string of the set values (`?a=1&b=x`), or '' when none is set. */
function queryOf(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** Seconds until a JWT's `exp`; 0 when it cannot be read (then it is refreshed). */
function secondsLeft(jwt: string): number {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp - Date.now() / 1000 : 0;
  } catch {
    return 0;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Called whenever the signed-in state changes (sign-in, refresh, sign-out, a session that ended). */
export type SessionListener = (user: User | null) => void;

/** auth's cookie mode (docs/api.md, "Browsers: refresh cookie"): the names of its header and cookie. */
const COOKIE_TRANSPORT = { 'x-token-transport': 'cookie' };
const CSRF_COOKIE = 'csrf_token';
const CSRF_HEADER = 'x-csrf-token';

/** The double-submit CSRF token auth set beside the httpOnly refresh cookie, or null when signed out. */
function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * Serialises refreshes across this browser's tabs: the refresh cookie rotates on every use, and two tabs
 * spending the same one at once would look like theft (token_reused) and end the session.
 */
function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  return typeof navigator.locks?.request === 'function'
    ? (navigator.locks.request('platform-token-refresh', work) as Promise<T>)
    : work();
}

/**
 * Every REST call of the app, at the page's own origin (the edge routes the API paths). The access token
 * lives in this page's memory; the refresh token in auth's httpOnly cookie, which no script can read, so
 * a reload resumes the session. The stand-in for @platform/client, and the only file to swap for it.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();

  /** The current access token (for the socket's `access_token`), or null when signed out. */
  get token(): string | null {
    return this.accessToken;
  }

  /** An access token valid for at least another half minute (refreshed if needed), or null. */
  async freshToken(): Promise<string | null> {
    if (this.accessToken !== null && secondsLeft(this.accessToken) > 30) return this.accessToken;
    return (await this.refresh()) ? this.accessToken : null;
  }

  onSession(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async register(email: string, password: string, displayName?: string): Promise<User> {
    const body = displayName ? { email, password, displayName } : { email, password };
    return (await this.call<{ user: User }>('POST', '/register', body, false)).user;
  }

  /** Signs in; a `totp_required` ApiError carries the `challenge` for `signInWithCode`. */
  async signIn(email: string, password: string, remember: boolean): Promise<User> {
    const body = { email, password, remember };
    return this.adopt(await this.call<TokenPair>('POST', '/login', body, false, COOKIE_TRANSPORT));
  }

  async signInWithCode(challenge: string, code: { code: string } | { recoveryCode: string }) {
    const body = { challenge, ...code };
    return this.adopt(await this.call<TokenPair>('POST', '/login/2fa', body, false, COOKIE_TRANSPORT));
  }

  /** Tries to get a session back without a password (after a reload); false when there is none. */
  async resume(): Promise<boolean> {
    return this.refresh();
  }

  async signOut(): Promise<void> {
    try {
      if (this.accessToken !== null) await this.call<void>('POST', '/logout');
    } finally {
      this.drop();
    }
  }

  verifyEmail = (token: string) => this.call<void>('POST', '/email/verify', { token }, false);
  revertEmail = (token: string) => this.call<void>('POST', '/email/revert', { token }, false);
  unlockAccount = (token: string) => this.call<unknown>('POST', '/account/unlock', { token }, false);
  resendVerification = (email: string) =>
    this.call<unknown>('POST', '/email/verify/resend', { email }, false);
  forgotPassword = (email: string) => this.call<unknown>('POST', '/password/forgot', { email }, false);
  resetPassword = (token: string, password: string) =>
    this.call<void>('POST', '/password/reset', { token, password }, false);

  profile = () => this.call<User>('GET', '/profile');
  updateProfile = (patch: { displayName?: string; status?: string }) =>
    this.call<User>('PATCH', '/profile', patch);

  sessions = async () => (await this.call<{ sessions: SessionView[] }>('GET', '/sessions')).sessions;
  revokeSession = (id: string) => this.call<void>('DELETE', `/sessions/${encodeURIComponent(id)}`);
  identities = async () =>
    (await this.call<{ identities: Identity[] }>('GET', '/oauth/identities')).identities;
  reauthenticate = async (password: string) => {
    const answer = await this.call<{ accessToken: string }>('POST', '/account/reauthenticate', { password });
    this.accessToken = answer.accessToken;
  };
  setUpTwoFactor = () => this.call<TwoFactorSetup>('POST', '/2fa/setup');
  enableTwoFactor = async (code: string) =>
    (await this.call<{ recoveryCodes: string[] }>('POST', '/2fa/enable', { code })).recoveryCodes;

  conversations = async () =>
    (await this.call<{ items: Conversation[] }>('GET', '/chat/conversations')).items;
  history = (conversation: string, before?: number) =>
    this.call<HistoryPage>(
      'GET',
      `/chat/conversations/${encodeURIComponent(conversation)}/messages${before ? `?before=${before}` : ''}`,
    );
  markNotificationRead = (id: string) =>
    this.call<void>('POST', `/notifications/${encodeURIComponent(id)}/read`);

  // The admin service (docs/api.md, admin): the directory, its changes, the audit log, activity.
  adminSummary = () => this.call<AdminSummary>('GET', '/admin');
  onlineCount = () => this.call<{ online: number; at: string }>('GET', '/admin/activity/online');
  signInActivity = (bucket: SignInActivity['bucket']) =>
    this.call<SignInActivity>('GET', `/admin/activity/sign-ins${queryOf({ bucket })}`);
  listUsers = (query: UserQuery) => this.call<UserPage>('GET', `/admin/users${queryOf({ ...query })}`);
  inviteUser = async (body: { email: string; displayName?: string; role?: User['role'] }) =>
    (await this.call<{ user: DirectoryUser }>('POST', '/admin/users', body)).user;
  updateUser = async (id: string, patch: { role?: User['role']; displayName?: string }) =>
    (await this.call<{ user: DirectoryUser }>('PATCH', `/admin/users/${encodeURIComponent(id)}`, patch)).user;
  lockUser = (id: string) => this.userAction(id, 'lock');
  unlockUser = (id: string) => this.userAction(id, 'unlock');
  restoreUser = (id: string) => this.userAction(id, 'restore');
  deleteUser = (id: string) => this.call<void>('DELETE', `/admin/users/${encodeURIComponent(id)}`);
  auditLogs = (query: AuditQuery) => this.call<AuditPage>('GET', `/admin/audit-logs${queryOf({ ...query })}`);

  private async userAction(id: string, action: 'lock' | 'unlock' | 'restore'): Promise<DirectoryUser> {
    const path = `/admin/users/${encodeURIComponent(id)}/${action}`;
    return (await this.call<{ user: DirectoryUser }>('POST', path)).user;
  }

  private adopt(pair: TokenPair): User {
    this.accessToken = pair.accessToken;
    for (const listener of this.listeners) listener(pair.user);
    return pair.user;
  }

  private drop(): void {
    const wasSignedIn = this.accessToken !== null;
    this.accessToken = null;
    if (wasSignedIn) for (const listener of this.listeners) listener(null);
  }

  /** One refresh at a time: every call that met an expired token waits for the same one. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        const pair = await acrossTabs(async () => {
          // Read inside the lock: the tab before may just have rotated it.
          const csrf = csrfToken();
          if (csrf === null) return null;
          return this.call<TokenPair>('POST', '/token/refresh', {}, false, { [CSRF_HEADER]: csrf });
        });
        if (pair === null) {
          this.drop();
          return false;
        }
        this.adopt(pair);
        return true;
      } catch {
        this.drop();
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async call<T>(
    method: Method,
    path: string,
    body?: unknown,
    auth = true,
    extra: Record<string, string> = {},
    retried = false,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.accessToken !== null) headers.authorization = `Bearer ${this.accessToken}`;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
    const error = await problemOf(response);
    if (auth && !retried && error.status === 401 && error.code === 'token_expired' && (await this.refresh()))
      return this.call<T>(method, path, body, auth, extra, true);
    if (auth && error.status === 401 && error.code !== 'reauthentication_required') this.drop();
    throw error;
  }
}
