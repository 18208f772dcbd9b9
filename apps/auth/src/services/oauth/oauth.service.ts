import { AppError, assertThat } from '@platform/http';
import type { RequestMeta } from '../accounts.service.js';
import type { LoginService, SignInOutcome } from '../login.service.js';
import type { SignInResult } from '../session-issuer.js';
import { GithubClient } from './github-client.js';
import type { IdentityLinker } from './identity-linker.js';
import { pkceChallenge, type OAuthStates } from './oauth-states.js';
import { OidcClient } from './oidc-client.js';
import type { ProviderClient } from './provider-client.js';
import type { ProviderSettings } from './provider-config.js';
import { providerErrorCode, type ProviderHttp } from './provider-http.js';

export interface OAuthSettings {
  /** Public base of the callback URLs (the edge). */
  redirectBaseUrl: string;
  /** Origins a `returnTo` may point at; the first resolves relative paths. */
  returnToOrigins: string[];
  /** Where a browser goes after the callback (OAUTH_SUCCESS_REDIRECT_URL). */
  successUrl: string;
}

export interface StartRequest {
  returnTo?: string | undefined;
  remember: boolean;
  /** The web app's cookie mode: the callback sets the refresh cookie instead of putting tokens in the URL. */
  cookieTransport: boolean;
  /** The signed-in user linking a provider, or null for a sign-in. */
  linkUserId: string | null;
}

export interface CallbackRequest {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
}

/**
 * How a callback ended: a session or a second-factor challenge (like /login), or a provider linked to
 * a signed-in account.
 */
export type CallbackResult =
  | { kind: 'session'; tokens: SignInResult; returnTo: string | null; cookieTransport: boolean }
  | (Extract<SignInOutcome, { kind: 'second-factor' }> & { returnTo: string | null })
  | { kind: 'linked'; provider: string; returnTo: string | null };

const unknownProvider = () => new AppError('unknown_provider', 'This sign-in provider is not available.');
const invalidState = () =>
  new AppError(
    'invalid_state',
    'This sign-in was not started here, expired or was already used; start again.',
  );

/**
 * The authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1) for every
 * configured provider: `start` builds the redirect to the provider, `callback` checks the state,
 * redeems the code and signs in through the same path as a password (2FA included).
 */
export class OAuthService {
  private readonly clients = new Map<string, ProviderClient>();

  constructor(
    private readonly providers: Map<string, ProviderSettings>,
    http: ProviderHttp,
    readonly states: OAuthStates,
    private readonly linker: IdentityLinker,
    private readonly login: LoginService,
    readonly settings: OAuthSettings,
  ) {
    for (const [name, provider] of providers)
      this.clients.set(
        name,
        provider.kind === 'github' ? new GithubClient(provider, http) : new OidcClient(provider, http),
      );
  }

  /** The enabled providers, in configuration order, as sign-in buttons name them. */
  list(): { id: string; name: string }[] {
    return [...this.providers.values()].map(({ name, label }) => ({ id: name, name: label }));
  }

  /** The provider's authorization URL for a new sign-in, and the state to bind to the browser. */
  async start(name: string, request: StartRequest): Promise<{ authorizeUrl: string; state: string }> {
    const { provider, client } = this.provider(name);
    const returnTo = request.returnTo === undefined ? null : this.checkReturnTo(request.returnTo);
    const endpoint = await client.authorizationEndpoint();
    const { state, pending } = await this.states.create({
      provider: name,
      returnTo,
      linkUserId: request.linkUserId,
      remember: request.remember,
      cookieTransport: request.cookieTransport,
    });
    const url = new URL(endpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', provider.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri(name));
    url.searchParams.set('scope', provider.scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', pkceChallenge(pending.verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (provider.kind === 'oidc') url.searchParams.set('nonce', pending.nonce);
    return { authorizeUrl: url.toString(), state };
  }

  /**
   * Finishes a sign-in. The state must be live, unused, for this provider and bound to this browser
   * (`cookie`); it is used up before anything else, so a replay fails even if the rest does.
   */
  async callback(name: string, request: CallbackRequest, cookie: string | undefined, meta: RequestMeta) {
    const { client } = this.provider(name);
    const { state } = request;
    assertThat(state && this.states.cookieMatches(state, cookie), invalidState);
    const pending = await this.states.consume(state);
    assertThat(pending && pending.provider === name, invalidState);
    if (request.error !== undefined) {
      const providerError = providerErrorCode(request.error) ?? 'unknown_error';
      throw new AppError('oauth_error', `The provider refused the sign-in (${providerError}).`, {
        extensions: { provider: name, providerError },
      });
    }
    assertThat(
      request.code,
      () =>
        new AppError('oauth_error', 'The provider sent no authorization code.', {
          extensions: { provider: name, providerError: 'invalid_request' },
        }),
    );
    const profile = await client.profile(request.code, pending, this.redirectUri(name));
    const { returnTo } = pending;
    if (pending.linkUserId) {
      await this.linker.linkTo(pending.linkUserId, name, profile, meta);
      return { kind: 'linked', provider: name, returnTo } satisfies CallbackResult;
    }
    const user = await this.linker.accountFor(name, profile, meta);
    const outcome = await this.login.signInVerified(
      user,
      { remember: pending.remember, provider: name },
      meta,
    );
    if (outcome.kind === 'second-factor') return { ...outcome, returnTo } satisfies CallbackResult;
    return { ...outcome, returnTo, cookieTransport: pending.cookieTransport } satisfies CallbackResult;
  }

  /** `<OAUTH_REDIRECT_BASE_URL>/oauth/<provider>/callback`, the same in the authorize and token requests. */
  redirectUri(name: string): string {
    return `${this.settings.redirectBaseUrl.replace(/\/$/, '')}/oauth/${name}/callback`;
  }

  private provider(name: string): { provider: ProviderSettings; client: ProviderClient } {
    const provider = this.providers.get(name);
    const client = this.clients.get(name);
    assertThat(provider && client, unknownProvider);
    return { provider, client };
  }

  /**
   * `returnTo` as an absolute URL on an allowed origin (a path is taken relative to the first), so
   * the sign-in cannot be turned into an open redirect.
   */
  private checkReturnTo(returnTo: string): string {
    const [home = ''] = this.settings.returnToOrigins;
    let url: URL | null;
    try {
      url = returnTo.startsWith('//') ? null : new URL(returnTo, home);
    } catch {
      url = null;
    }
    assertThat(
      url && this.settings.returnToOrigins.includes(url.origin),
      () => new AppError('invalid_return_to', 'returnTo must be a page of this site.'),
    );
    return url.toString();
  }
}
