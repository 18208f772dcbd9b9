import type { Context } from 'koa';
import { byOperationId, OAUTH_ROUTES } from '@platform/contracts';
import {
  AppError,
  assertRecentAuth,
  authenticatedRouter,
  Errors,
  handle,
  publicRouter,
  requireRecentAuth,
  type AuthState,
  type BaseState,
  type Router,
} from '@platform/http';
import { totpRequired } from '../services/login.service.js';
import type { CallbackResult } from '../services/oauth/oauth.service.js';
import { requestMeta } from './context.js';
import type { AuthRoutesDeps } from './deps.js';
import { setDeviceCookie } from './device-cookie.js';
import { appendCookie } from './set-cookie.js';
import { answerTokens, setTokenCookies, wantsCookieTransport } from './token-cookies.js';

const api = byOperationId(OAUTH_ROUTES);

/** Binds a started sign-in to the browser; scoped to /oauth, gone once the callback ran. */
export const OAUTH_STATE_COOKIE = 'oauth_state';

const yes = (flag: string | undefined) => flag === '1' || flag === 'true';

/** A JSON client (fetch from the web app, tests) rather than a browser navigation. */
function wantsJson(ctx: Context): boolean {
  return ctx.accepts('html', 'json') === 'json';
}

/**
 * The state cookie. Secure follows the public callback URL's scheme (Koa may see plain HTTP behind a
 * TLS-terminating edge). SameSite=Lax still sends it on the provider's top-level redirect back to us.
 */
function setStateCookie(ctx: Context, value: string, maxAge: number, secure: boolean): void {
  appendCookie(ctx, OAUTH_STATE_COOKIE, value, {
    path: '/oauth',
    maxAge,
    httpOnly: true,
    sameSite: 'Lax',
    secure,
  });
}

/** Where the browser goes after the callback: the success page, `returnTo` in its query, results in the fragment. */
function successRedirect(
  successUrl: string,
  returnTo: string | null,
  fragment: Record<string, string>,
): string {
  const url = new URL(successUrl);
  if (returnTo) url.searchParams.set('returnTo', returnTo);
  // The fragment never reaches a server or a Referer header, unlike the query string.
  url.hash = new URLSearchParams(fragment).toString();
  return url.toString();
}

/**
 * Where a browser in cookie mode goes after a sign-in: straight to `returnTo` (already checked against
 * the allowed origins) or the success page, with nothing in the URL; the web app refreshes with the cookie.
 */
function cookieModeRedirect(successUrl: string, returnTo: string | null): string {
  return returnTo ?? successUrl;
}

/**
 * Where a browser goes when its callback fails (the person cancelled at the provider, the state
 * expired, ...): the web app's finish page, which says what happened, rather than a problem+json
 * page. Only the stable codes travel, in the fragment; the page words them itself, so a crafted
 * link cannot put text of its own on it.
 */
function failureRedirect(successUrl: string, error: AppError): string {
  const providerError = error.options.extensions?.providerError;
  return successRedirect(successUrl, null, {
    error: error.code,
    ...(typeof providerError === 'string' ? { providerError } : {}),
  });
}

function fragmentOf(result: CallbackResult): Record<string, string> {
  if (result.kind === 'linked') return { linked: result.provider };
  // A browser finishing a 2FA account's sign-in goes to the web app to enter its code.
  if (result.kind === 'second-factor')
    return { totpChallenge: result.challenge, expiresIn: String(result.expiresIn) };
  const { accessToken, refreshToken, tokenType, expiresIn } = result.tokens;
  return { accessToken, refreshToken, tokenType, expiresIn: String(expiresIn) };
}

/** Sign-in with GitHub, Google and OIDC providers: the redirect out and the callback back in. */
export function oauthRoutes(deps: AuthRoutesDeps): Router<BaseState> {
  const { services, limits, stepUpMaxAgeSeconds, tokenCookies } = deps;
  const router = publicRouter();
  const { oauth } = services;
  const secureCookie = oauth.settings.redirectBaseUrl.startsWith('https:');

  handle(router, api.listOAuthProviders, async (ctx) => {
    // The list changes only with the configuration: caches may keep it for a minute.
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = { providers: oauth.list() };
  });

  // `link=1` with a bearer token links the provider to the caller's account instead of signing in.
  // A browser cannot attach that header to a navigation, so the web app fetches this as JSON.
  handle(router, api.startOAuth, limits.perIp, async (ctx, { params, query }) => {
    const link = yes(query.link);
    if (link && !ctx.state.user) throw Errors.unauthorized('unauthorized', 'Sign in to link a provider.');
    // A new way into the account: whoever holds a stolen access token must not be able to add one.
    if (link && ctx.state.user) assertRecentAuth(ctx.state.user, stepUpMaxAgeSeconds);
    const { authorizeUrl, state } = await oauth.start(params.provider, {
      returnTo: query.returnTo,
      remember: yes(query.remember),
      cookieTransport: query.tokenTransport === 'cookie',
      linkUserId: link && ctx.state.user ? ctx.state.user.sub : null,
    });
    setStateCookie(ctx, oauth.states.cookieValue(state), oauth.states.ttlSeconds, secureCookie);
    ctx.set('Cache-Control', 'no-store');
    if (wantsJson(ctx)) ctx.body = { authorizeUrl };
    else ctx.redirect(authorizeUrl);
  });

  handle(router, api.finishOAuth, limits.perIp, async (ctx, { params, query }) => {
    const cookie = ctx.cookies.get(OAUTH_STATE_COOKIE);
    // Whatever happens next the state is spent: drop its cookie.
    setStateCookie(ctx, '', 0, secureCookie);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    const json = wantsJson(ctx);
    const result = await oauth
      .callback(params.provider, query, cookie, requestMeta(ctx))
      .catch((error: unknown) => {
        // A browser's failure is answered below with a redirect; JSON clients get the problem.
        if (json || !(error instanceof AppError)) throw error;
        return error;
      });
    if (result instanceof AppError) {
      ctx.state.log.info({ code: result.code, provider: params.provider }, 'oauth sign-in failed');
      return ctx.redirect(failureRedirect(oauth.settings.successUrl, result));
    }
    if (result.kind === 'session') {
      // A provider's sign-in trusts the browser like a password sign-in does.
      setDeviceCookie(ctx, result.tokens.deviceToken, services.devices.settings.ttlSeconds);
      const cookieMode = result.cookieTransport || wantsCookieTransport(ctx);
      if (json) return answerTokens(ctx, result.tokens, cookieMode, tokenCookies);
      if (cookieMode) {
        setTokenCookies(ctx, result.tokens, tokenCookies);
        return ctx.redirect(cookieModeRedirect(oauth.settings.successUrl, result.returnTo));
      }
    }
    if (!json) {
      // The second-factor page is the web app's own: no returnTo until the sign-in is complete.
      const returnTo = result.kind === 'second-factor' ? null : result.returnTo;
      ctx.redirect(successRedirect(oauth.settings.successUrl, returnTo, fragmentOf(result)));
    } else if (result.kind === 'second-factor') throw totpRequired(result);
    else ctx.body = { linked: result.provider };
  });

  return router;
}

/** The caller's linked provider sign-ins; unlinking one needs a recent sign-in (step-up). */
export function identityRoutes({ services, stepUpMaxAgeSeconds }: AuthRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.listIdentities, async (ctx) => {
    ctx.body = { identities: await services.identities.list(ctx.state.user.sub) };
  });

  handle(router, api.unlinkIdentity, requireRecentAuth(stepUpMaxAgeSeconds), async (ctx, { params }) => {
    await services.identities.unlink(ctx.state.user.sub, params.provider, requestMeta(ctx));
    ctx.status = 204;
  });

  return router;
}
