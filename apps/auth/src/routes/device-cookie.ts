import type { Context } from 'koa';

/** The device token's cookie: sent only to the sign-in routes, never readable by scripts. */
export const DEVICE_COOKIE = 'device_token';

/** /login and /login/2fa, where a device token is presented. */
const DEVICE_COOKIE_PATH = '/login';

/** The device token of a sign-in: the body's field when given, else the cookie. */
export function presentedDeviceToken(ctx: Context, fromBody: string | undefined): string | undefined {
  return fromBody ?? ctx.cookies.get(DEVICE_COOKIE) ?? undefined;
}

/**
 * Hands the client its device token as a cookie as well as in the body, for browsers. SameSite=Strict:
 * a sign-in another site starts never carries it. Secure when the request is https (Koa takes the
 * scheme from X-Forwarded-Proto when the edge is a trusted proxy).
 */
export function setDeviceCookie(ctx: Context, token: string, maxAgeSeconds: number): void {
  ctx.cookies.set(DEVICE_COOKIE, token, {
    path: DEVICE_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.secure,
    maxAge: maxAgeSeconds * 1000,
    overwrite: true,
  });
}
