import type { Context } from 'koa';

/** How one cookie is scoped and protected. */
export interface CookieAttributes {
  path: string;
  /** Seconds it lives; none makes a session cookie, gone when the browser closes. 0 removes it. */
  maxAge?: number;
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax';
  secure: boolean;
}

/**
 * Appends one Set-Cookie header. Written by hand rather than with ctx.cookies: behind a TLS-terminating
 * edge Koa sees plain HTTP and refuses to set a Secure cookie, while the caller knows the browser saw
 * https. Values are base64url or empty, so they need no encoding.
 */
export function appendCookie(ctx: Context, name: string, value: string, cookie: CookieAttributes): void {
  const attributes = [
    `Path=${cookie.path}`,
    ...(cookie.maxAge === undefined ? [] : [`Max-Age=${cookie.maxAge}`]),
    ...(cookie.httpOnly ? ['HttpOnly'] : []),
    `SameSite=${cookie.sameSite}`,
    ...(cookie.secure ? ['Secure'] : []),
  ];
  ctx.append('Set-Cookie', `${name}=${value}; ${attributes.join('; ')}`);
}
