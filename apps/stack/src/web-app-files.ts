import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { webAppContentSecurityPolicy } from '@platform/contracts';

/** Content types of what a Vite build emits; anything else is sent as bytes the browser will not sniff. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names every file under assets/ by its content hash, so a URL there never changes meaning. */
const HASHED_PREFIX = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The document must be revalidated every time: it names the current hashed assets. */
const REVALIDATE = 'no-cache';

/** What serving a request came to: sent, or not a file of the app (the caller answers 404). */
export type WebAppOutcome = 'served' | 'not_found';

export interface WebAppFiles {
  /** The folder served (a Vite build's `dist`). */
  readonly root: string;
  /** Serves a GET or HEAD for a path no API route claims: a file, the SPA's index.html, or nothing. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<WebAppOutcome>;
}

/**
 * The file under `root` that a URL path names, or undefined for a path that is malformed, escapes the
 * root (`..`, encoded or not), or names a dotfile. Never touches the disk.
 */
export function fileFor(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return undefined;
  const file = path.resolve(root, ...segments);
  return file === root || file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

/** True for a path the SPA's router may own: not an asset, and no file extension in its last segment. */
export function isPagePath(pathname: string): boolean {
  if (pathname.startsWith(HASHED_PREFIX)) return false;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !last.includes('.');
}

async function regularFile(file: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(file);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/** The headers of one static answer; the document gets the app's CSP in place of the API's. */
function headersFor(
  req: http.IncomingMessage,
  pathname: string,
  file: string,
  stats: Stats,
  secure: boolean,
): Record<string, string | number> {
  const ext = path.extname(file).toLowerCase();
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'content-length': stats.size,
    'last-modified': stats.mtime.toUTCString(),
    'cache-control': pathname.startsWith(HASHED_PREFIX) ? IMMUTABLE : REVALIDATE,
  };
  if (ext === '.html') {
    headers['content-security-policy'] = webAppContentSecurityPolicy(req.headers.host, secure);
    // The app reads tokens from the URL (mailed links); they must not leak to another site as referrer.
    headers['referrer-policy'] = 'no-referrer';
  }
  return headers;
}

function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  headers: Record<string, string | number>,
): Promise<WebAppOutcome> {
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return Promise.resolve('served');
  }
  return new Promise((resolve) => {
    const stream = createReadStream(file);
    // A file that vanished after stat (a rebuild) ends the answer early; the client sees a short body.
    stream.on('error', () => res.destroy());
    res.on('close', () => {
      stream.destroy();
      resolve('served');
    });
    stream.pipe(res);
  });
}

/**
 * The built web app as the edge serves it at the API's own origin: its files with their content types,
 * hashed assets cached for a year, and index.html (never cached) for every page path of the SPA.
 */
export function webAppFiles(root: string, options: { secure?: boolean } = {}): WebAppFiles {
  const base = path.resolve(root);
  const index = path.join(base, 'index.html');
  const secure = options.secure === true;
  return {
    root: base,
    async serve(req, res, pathname) {
      const file = fileFor(base, pathname);
      if (file === undefined) return 'not_found';
      const found = file === base ? undefined : await regularFile(file);
      if (found !== undefined) return send(req, res, file, headersFor(req, pathname, file, found, secure));
      if (!isPagePath(pathname)) return 'not_found';
      const document = await regularFile(index);
      if (document === undefined) return 'not_found';
      return send(req, res, index, headersFor(req, '/index.html', index, document, secure));
    },
  };
}
