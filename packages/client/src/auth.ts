import { type ApiError, isApiError } from './api-error.js';
import type { Http } from './http.js';
import { queryString, type RequestOf } from './operations.js';
import { callOperation } from './rest.js';
import type { Session, TokenAnswer, User } from './session.js';

/** How a password sign-in ended: signed in, or an account with 2FA waiting for its second factor. */
export type LoginResult =
  { status: 'signedIn'; user: User } | { status: 'totpRequired'; challenge: string; expiresIn: number };

export type LoginInput = Omit<RequestOf<'login'>['body'], 'deviceToken'>;
export type SecondFactorInput = RequestOf<'loginSecondFactor'>['body'];
/** A step-up proof: the password, a current TOTP code or a recovery code. */
export type ReauthProof = RequestOf<'reauthenticate'>['body'];

/**
 * The session's own routes: sign-in (with its second step), resuming a session after a reload,
 * step-up and sign-out. They go through here rather than the plain REST calls, which would not keep
 * the tokens.
 */
export class AuthApi {
  constructor(
    private readonly http: Http,
    private readonly session: Session,
  ) {}

  /** Signs in with email and password; an account with 2FA answers a challenge for `completeTotp`. */
  async login(input: LoginInput): Promise<LoginResult> {
    const deviceToken = await this.session.deviceToken();
    try {
      const body = { ...input, ...(deviceToken ? { deviceToken } : {}) };
      const answer = await callOperation(this.http, this.session, 'login', { body });
      return await this.signedIn(answer);
    } catch (error) {
      if (!isApiError(error, 'totp_required')) throw error;
      const { challenge, expiresIn } = error.problem;
      if (typeof challenge !== 'string') throw error;
      return { status: 'totpRequired', challenge, expiresIn: typeof expiresIn === 'number' ? expiresIn : 0 };
    }
  }

  /** The second step of a 2FA sign-in: the challenge with a TOTP code or a recovery code. */
  async completeTotp(input: SecondFactorInput): Promise<{ status: 'signedIn'; user: User }> {
    const answer = await callOperation(this.http, this.session, 'loginSecondFactor', { body: input });
    return this.signedIn(answer);
  }

  /**
   * Resumes a session after a page load (the refresh cookie) or a restart (the token store): the
   * signed-in user, or null when there is no session to resume. No request is made when there is
   * nothing to resume with.
   */
  async restore(): Promise<User | null> {
    return (await this.session.refresh(null)) === null ? null : this.session.user();
  }

  /**
   * Who is signed in, as the newest sign-in or refresh answer said; null when signed out (and while
   * the session came only from `adopt`, whose tokens name nobody, until its first refresh).
   */
  user(): User | null {
    return this.session.user();
  }

  /**
   * Takes tokens obtained elsewhere: the fragment of an OAuth callback in body mode
   * (`#accessToken=...&refreshToken=...&expiresIn=...`), or a session handed over by another process.
   */
  async adopt(tokens: { accessToken: string; expiresIn: number; refreshToken?: string }): Promise<void> {
    await this.session.adoptExternal(tokens);
  }

  /**
   * Trades the refresh token for a new pair now, though the access token is still good (say, to pick
   * up a new role's claims): true when it worked, false when the session is over.
   */
  async refresh(): Promise<boolean> {
    return (await this.session.refresh(this.session.current())) !== null;
  }

  /** Signs out: the server ends the session (and clears the cookies), then it ends here too. */
  async logout(): Promise<void> {
    try {
      if (this.session.current()) await callOperation(this.http, this.session, 'logout', undefined);
    } finally {
      await this.session.signOut('logout');
    }
  }

  /** Step-up: proves who the user is again; the fresh access token replaces the current one. */
  async reauthenticate(proof: ReauthProof): Promise<void> {
    const answer = await callOperation(this.http, this.session, 'reauthenticate', { body: proof });
    this.session.adoptAccess(answer.accessToken, answer.expiresIn);
  }

  /**
   * Runs `action`; when it needs a recent sign-in (`401 reauthentication_required`), asks `prompt` for
   * a proof (the UI shows a password or code field), steps up and runs it once more. A prompt answering
   * null gives up with the original error.
   */
  async withStepUp<T>(
    action: () => Promise<T>,
    prompt: (error: ApiError) => Promise<ReauthProof | null>,
  ): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (!isApiError(error, 'reauthentication_required')) throw error;
      const proof = await prompt(error);
      if (!proof) throw error;
      await this.reauthenticate(proof);
      return action();
    }
  }

  /**
   * Where to send the browser to sign in with a provider: the callback sets the refresh cookie and
   * comes back to `returnTo` (cookie mode), then `restore()` picks the session up.
   */
  oauthStartUrl(provider: string, options: { returnTo?: string; remember?: boolean } = {}): string {
    const query = queryString({
      returnTo: options.returnTo,
      remember: options.remember ? '1' : undefined,
      tokenTransport: this.session.transport === 'cookie' ? 'cookie' : undefined,
    });
    return this.http.url(`/oauth/${encodeURIComponent(provider)}/start${query}`, 'auth');
  }

  private async signedIn(answer: TokenAnswer): Promise<{ status: 'signedIn'; user: User }> {
    await this.session.adopt(answer, true);
    return { status: 'signedIn', user: answer.user };
  }
}
