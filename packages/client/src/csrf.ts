import { CSRF_COOKIE, CSRF_HEADER } from '@platform/contracts';

/** Reads one cookie from a `document.cookie` string; undefined when absent or empty. */
export function cookieValue(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    return value === '' ? undefined : decodeURIComponent(value);
  }
  return undefined;
}

/**
 * The double-submit header of a cookie refresh: the `csrf_token` cookie's value, read at the moment of
 * the request (another tab may have rotated it), or no header when the cookie is absent.
 */
export function csrfHeaders(cookies: string): Record<string, string> {
  const value = cookieValue(cookies, CSRF_COOKIE);
  return value === undefined ? {} : { [CSRF_HEADER]: value };
}

/** `document.cookie` where there is a document; empty elsewhere (Node). */
export function documentCookies(): string {
  const doc = (globalThis as { document?: { cookie?: string } }).document;
  return doc?.cookie ?? '';
}
