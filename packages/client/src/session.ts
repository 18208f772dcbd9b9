import type { z } from 'zod';
import type { tokenPairSchema } from '@platform/contracts';
import { isApiError } from './api-error.js';
import { csrfHeaders, documentCookies } from './csrf.js';
import { Emitter } from './emitter.js';
import type { Http } from './http.js';
import { OPERATIONS } from './operations.js';
import { singleFlight } from './single-flight.js';
import { soloTab, type TabSync } from './tab-sync.js';
import type { TokenStore } from './token-store.js';

/** The tokens a sign-in or a refresh answers (no `refreshToken` in cookie mode). */
export type TokenAnswer = z.output<typeof tokenPairSchema>;
export type User = TokenAnswer['user'];

/**
 * Where the refresh token lives. `cookie`: an httpOnly cookie the page never sees (browsers; docs/api.md,
 * "Browsers: refresh cookie"). `body`: in the answers, kept in a TokenStore (Node, other clients).
 */
export type TokenTransport = 'cookie' | 'body';

/** Why the session ended: a refusal code of the refresh, `logout`, or `session_ended` (socket close 4001). */
export type SignOutReason =
  'logout' | 'session_ended' | 'token_reused' | 'invalid_token' | 'token_expired' | 'token_revoked';

export interface SessionEvents {
  signedIn: { user: User };
  /** A new access token (a refresh here or in another tab, or a step-up). */
  token: { accessToken: string };
  signedOut: { reason: SignOutReason };
}

export interface SessionOptions {
  transport: TokenTransport;
  /** Body mode's refresh-token store. */
  store: TokenStore;
  tabs?: TabSync;
  /** Refresh this long before the access token's expiry rather than after a refusal. */
  refreshLeewayMs?: number;
  /** The cookies to read the CSRF token from (document.cookie by default). */
  cookies?: () => string;
}

const REFRESH_REFUSALS = ['invalid_token', 'token_expired', 'token_revoked', 'token_reused'] as const;

/**
 * The signed-in state: the access token, in memory only, and how to get a new one. A refresh runs
 * once for all concurrent callers (single flight) and, in a browser, once across tabs (a Web Lock; the
 * winner broadcasts the new access token). A refresh the server refuses signs the client out.
 */
export class Session {
  readonly events = new Emitter<SessionEvents>();
  private accessToken: string | null = null;
  private expiresAt = 0;
  /** Who the last sign-in or refresh answer named; a refresh after a role change brings the new role. */
  private signedInUser: User | null = null;
  private readonly tabs: TabSync;
  private readonly leewayMs: number;
  private readonly refreshOnce: () => Promise<string | null>;
  private staleToken: string | null = null;

  constructor(
    private readonly http: Http,
    private readonly options: SessionOptions,
  ) {
    this.tabs = options.tabs ?? soloTab;
    this.leewayMs = options.refreshLeewayMs ?? 30_000;
    this.refreshOnce = singleFlight(() => this.tabs.withLock(() => this.refreshHoldingLock()));
    this.tabs.onMessage((message) => {
      if (message.type === 'token') this.setAccess(message.accessToken, message.expiresAt, false);
      else this.end(message.reason as SignOutReason, false);
    });
  }

  get transport(): TokenTransport {
    return this.options.transport;
  }

  /** The access token as it is now, even if about to expire (public routes, the socket's first try). */
  current(): string | null {
    return this.accessToken;
  }

  /** The signed-in user as the last token answer described them, or null when signed out. */
  user(): User | null {
    return this.accessToken ? this.signedInUser : null;
  }

  /** A usable access token: the current one, or a refreshed one when it is (nearly) expired; null when signed out. */
  async valid(): Promise<string | null> {
    if (this.accessToken && Date.now() < this.expiresAt - this.leewayMs) return this.accessToken;
    return this.refresh(this.accessToken);
  }

  /**
   * A new access token, replacing `stale` (the one a request was refused with): when another caller
   * or tab already replaced it, that token is used and no second refresh is made.
   */
  async refresh(stale: string | null): Promise<string | null> {
    if (this.accessToken && this.accessToken !== stale && Date.now() < this.expiresAt)
      return this.accessToken;
    this.staleToken = stale;
    return this.refreshOnce();
  }

  /** Takes the tokens of a sign-in or a refresh. */
  async adopt(answer: TokenAnswer, signedIn: boolean): Promise<void> {
    if (this.options.transport === 'body') {
      const stored = (await this.options.store.load()) ?? {};
      await this.options.store.save({
        ...stored,
        ...(answer.refreshToken ? { refreshToken: answer.refreshToken } : {}),
        ...(answer.deviceToken ? { deviceToken: answer.deviceToken } : {}),
      });
    }
    this.signedInUser = answer.user;
    this.setAccess(answer.accessToken, Date.now() + answer.expiresIn * 1000, true);
    if (signedIn) this.events.emit('signedIn', { user: answer.user });
  }

  /** Tokens from elsewhere (an OAuth fragment, another process): the refresh token, if any, is stored. */
  async adoptExternal(tokens: {
    accessToken: string;
    expiresIn: number;
    refreshToken?: string;
  }): Promise<void> {
    if (tokens.refreshToken && this.options.transport === 'body') {
      const stored = (await this.options.store.load()) ?? {};
      await this.options.store.save({ ...stored, refreshToken: tokens.refreshToken });
    }
    this.adoptAccess(tokens.accessToken, tokens.expiresIn);
  }

  /** Takes a step-up's fresh access token (the refresh token is unchanged). */
  adoptAccess(accessToken: string, expiresIn: number): void {
    this.setAccess(accessToken, Date.now() + expiresIn * 1000, true);
  }

  /** The device token to send with the next body-mode sign-in. */
  async deviceToken(): Promise<string | undefined> {
    if (this.options.transport !== 'body') return undefined;
    return (await this.options.store.load())?.deviceToken;
  }

  /** Forgets the session here (and in the other tabs) and says why. */
  async signOut(reason: SignOutReason): Promise<void> {
    await this.end(reason, true);
  }

  close(): void {
    this.tabs.close();
  }

  private setAccess(accessToken: string, expiresAt: number, announce: boolean): void {
    this.accessToken = accessToken;
    this.expiresAt = expiresAt;
    this.events.emit('token', { accessToken });
    if (announce) this.tabs.publish({ type: 'token', accessToken, expiresAt });
  }

  private async end(reason: SignOutReason, announce: boolean): Promise<void> {
    const wasSignedIn = this.accessToken !== null;
    this.accessToken = null;
    this.expiresAt = 0;
    this.signedInUser = null;
    if (this.options.transport === 'body') await this.options.store.clear();
    if (announce) this.tabs.publish({ type: 'signedOut', reason });
    if (wasSignedIn || announce) this.events.emit('signedOut', { reason });
  }

  /** The refresh itself, once this tab holds the lock. */
  private async refreshHoldingLock(): Promise<string | null> {
    // Another tab refreshed while this one waited for the lock: its token came by broadcast.
    if (this.accessToken && this.accessToken !== this.staleToken && Date.now() < this.expiresAt)
      return this.accessToken;
    const request = await this.refreshRequest();
    if (!request) return null;
    try {
      const answer = (await this.http.send(OPERATIONS.refreshToken, request)) as TokenAnswer;
      await this.adopt(answer, false);
      return answer.accessToken;
    } catch (error) {
      if (isApiError(error, ...REFRESH_REFUSALS)) {
        await this.end(error.code as SignOutReason, true);
        return null;
      }
      throw error;
    }
  }

  /** The refresh request of this transport, or null when there is nothing to refresh with. */
  private async refreshRequest() {
    if (this.options.transport === 'cookie') {
      const csrf = csrfHeaders((this.options.cookies ?? documentCookies)());
      // No CSRF cookie: no refresh cookie either (they are set and cleared together).
      if (Object.keys(csrf).length === 0) return null;
      return { body: {}, headers: csrf };
    }
    const refreshToken = (await this.options.store.load())?.refreshToken;
    return refreshToken ? { body: { refreshToken } } : null;
  }
}
