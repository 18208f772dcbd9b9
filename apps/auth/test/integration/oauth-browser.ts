/** The public base the tests configure for callbacks; the "browser" maps it onto the auth service. */
export const EDGE = 'http://edge.test';

/** A started sign-in: where the provider sends the browser, and the state cookie it carries. */
export interface Started {
  status: number;
  authorizeUrl: URL;
  cookie: string;
  setCookie: string;
}

export interface Finished {
  status: number;
  location: string | null;
  body: Record<string, unknown>;
}

/** A browser without a cookie jar of its own: the tests carry the state cookie by hand. */
export function oauthBrowser(authUrl: string) {
  async function start(provider: string, query = '', headers: Record<string, string> = {}): Promise<Started> {
    const res = await fetch(`${authUrl}/oauth/${provider}/start${query}`, { redirect: 'manual', headers });
    const [setCookie = ''] = res.headers.getSetCookie();
    const location =
      res.status === 302
        ? res.headers.get('location')
        : ((await res.json()) as { authorizeUrl?: string }).authorizeUrl;
    if (!location) throw new Error(`start answered ${res.status}`);
    return {
      status: res.status,
      authorizeUrl: new URL(location),
      cookie: setCookie.split(';')[0] ?? '',
      setCookie,
    };
  }

  /** Follows the provider's /authorize, which signs in whoever the mock plays and redirects back. */
  async function authorize(started: Started): Promise<URL> {
    const res = await fetch(started.authorizeUrl, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
    const back = new URL(location);
    if (back.origin !== EDGE) throw new Error(`provider redirected to ${back.origin}`);
    return new URL(`${authUrl}${back.pathname}${back.search}`);
  }

  async function callback(url: URL | string, cookie: string, json = true): Promise<Finished> {
    const headers: Record<string, string> = json ? { accept: 'application/json' } : { accept: 'text/html' };
    if (cookie) headers.cookie = cookie;
    const res = await fetch(url, { redirect: 'manual', headers });
    const text = await res.text();
    const body = /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : {};
    return { status: res.status, location: res.headers.get('location'), body };
  }

  /** The whole round trip, answered as JSON unless `json` is false. */
  async function signIn(provider: string, options: { json?: boolean; query?: string; token?: string } = {}) {
    const headers: Record<string, string> = options.token
      ? { authorization: `Bearer ${options.token}`, accept: 'application/json' }
      : {};
    const started = await start(provider, options.query, headers);
    return callback(await authorize(started), started.cookie, options.json ?? true);
  }

  return { start, authorize, callback, signIn };
}
