import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE, TOKEN_TRANSPORT_HEADER } from '@platform/contracts';
import { AppError } from '@platform/http';
import type { TokenPair } from '../services/session-issuer.js';
import { appendCookie } from './set-cookie.js';

/**
 * Cookie mode (docs/api.md, "Browsers: refresh cookie"): a browser asks with `X-Token-Transport: cookie`
 * and gets its refresh token as an httpOnly cookie that page scripts can never read, instead of in the
 * body. The refresh route then takes it from the cookie, guarded against cross-site requests by
 * SameSite=Strict, an Origin check and a double-submit CSRF token.
 */
export interface TokenCookieSettings {
  /** Mark the cookies Secure on every request, not only on https ones: production. */
  alwaysSecure: boolean;
  /** Hosts (`host:port`) besides the request's own whose pages may refresh with the cookie. */
  trustedHosts: ReadonlySet<string>;
}

/** The refresh cookie goes only to `/token/...`: no other route, and no script, ever sees it. */
const REFRESH_COOKIE_PATH = '/token';

/**
 * When the cookies carry `Secure`. Production: always, so a refresh token never travels in clear, even
 * when TLS ends at the edge and Koa sees http (the browser saw https). Elsewhere: when the request is
 * https (`ctx.secure`, from X-Forwarded-Proto through a trusted edge), and not otherwise, because
 * browsers drop a Secure cookie set over plain http (Chromium spares only `localhost`), and
 * `pnpm start` serves http://127.0.0.1:8080. Only development and tests run over http.
 */
function secure(ctx: Context, settings: TokenCookieSettings): boolean {
  return settings.alwaysSecure || ctx.secure;
}

/** The browser asked for cookie mode on this request. */
export function wantsCookieTransport(ctx: Context): boolean {
  return ctx.get(TOKEN_TRANSPORT_HEADER).toLowerCase() === 'cookie';
}

/**
 * The CSRF token that goes with a refresh token: bound to it (a hash a script can read, from which the
 * refresh token cannot be recovered), so a cookie planted by a sibling subdomain matches no session.
 */
export function csrfTokenFor(refreshToken: string): string {
  return createHash('sha256').update(`csrf:${refreshToken}`, 'utf8').digest('base64url');
}

/** Constant-time equality of two strings (a length difference alone may show). */
function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const csrfFailed = (detail: string) => new AppError('csrf_failed', detail);

/** A request another site's page made: `Sec-Fetch-Site`, else an `Origin` of a host we do not serve. */
function crossSite(ctx: Context, settings: TokenCookieSettings): boolean {
  if (ctx.get('Sec-Fetch-Site') === 'cross-site') return true;
  const origin = ctx.get('Origin');
  if (!origin) return false;
  // `Origin: null` (a sandboxed frame, a redirect chain) is no origin we trust.
  const host = URL.canParse(origin) ? new URL(origin).host : null;
  return host === null || (host !== ctx.host && !settings.trustedHosts.has(host));
}

/**
 * Sets both cookies for a session's refresh token: persistent until the session ends when "remember
 * me" was asked, else for the browser session only.
 */
export function setTokenCookies(
  ctx: Context,
  { refreshToken, session: lifetime }: Pick<TokenPair, 'refreshToken' | 'session'>,
  settings: TokenCookieSettings,
): void {
  const seconds = Math.max(0, Math.floor((lifetime.expiresAt.getTime() - Date.now()) / 1000));
  const common = {
    sameSite: 'Strict' as const,
    secure: secure(ctx, settings),
    ...(lifetime.remember ? { maxAge: seconds } : {}),
  };
  appendCookie(ctx, REFRESH_COOKIE, refreshToken, { ...common, path: REFRESH_COOKIE_PATH, httpOnly: true });
  // Readable by scripts on purpose (that is how the header gets its value); Path=/ so every page sees it.
  appendCookie(ctx, CSRF_COOKIE, csrfTokenFor(refreshToken), { ...common, path: '/', httpOnly: false });
}

/** Removes both cookies (Max-Age=0 on each cookie's own path). */
export function clearTokenCookies(ctx: Context, settings: TokenCookieSettings): void {
  const common = { sameSite: 'Strict' as const, secure: secure(ctx, settings), maxAge: 0 };
  appendCookie(ctx, REFRESH_COOKIE, '', { ...common, path: REFRESH_COOKIE_PATH, httpOnly: true });
  appendCookie(ctx, CSRF_COOKIE, '', { ...common, path: '/', httpOnly: false });
}

/**
 * Answers a session: in the body as always, except that in cookie mode the refresh token goes into
 * the cookie and not into the body. The session's lifetime is only for the cookie and never answered.
 */
export function answerTokens(
  ctx: Context,
  issued: TokenPair & { deviceToken?: string },
  cookieMode: boolean,
  settings: TokenCookieSettings,
): void {
  const { session, refreshToken, ...answer } = issued;
  ctx.set('Cache-Control', 'no-store');
  if (!cookieMode) {
    ctx.body = { ...answer, refreshToken };
    return;
  }
  setTokenCookies(ctx, { refreshToken, session }, settings);
  ctx.body = answer;
}

/**
 * The refresh token of a cookie-mode refresh, once the request has shown it comes from our own pages:
 * not cross-site, and `X-CSRF-Token` equal to the `csrf_token` cookie, which must belong to the refresh
 * cookie. No refresh cookie at all is `invalid_token` (the browser is signed out), and clears the CSRF
 * cookie that may be left.
 */
export function refreshTokenFromCookie(ctx: Context, settings: TokenCookieSettings): string {
  if (crossSite(ctx, settings)) throw csrfFailed('A refresh with the cookie must come from our own pages.');
  const refreshToken = ctx.cookies.get(REFRESH_COOKIE);
  if (!refreshToken) {
    clearTokenCookies(ctx, settings);
    throw new AppError('invalid_token', 'No refresh token: sign in again.');
  }
  const header = ctx.get(CSRF_HEADER);
  const cookie = ctx.cookies.get(CSRF_COOKIE) ?? '';
  if (!header || !sameSecret(header, cookie) || !sameSecret(cookie, csrfTokenFor(refreshToken)))
    throw csrfFailed(`Send the ${CSRF_COOKIE} cookie's value in ${CSRF_HEADER}.`);
  return refreshToken;
}
