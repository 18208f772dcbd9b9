import http from 'node:http';
import { messagesJson, renderInboxPage, renderMessagePage, type InboxMail } from './mail-inbox-html.js';

/**
 * The page itself runs no script at all. The policy is inherited by the mail's srcdoc frame, so it
 * also keeps a mail from loading scripts, fonts or styles from elsewhere; images may load, as in a
 * mail client. `about:` admits the srcdoc frame in browsers that check frame-src for it.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data: http: https:',
  "frame-src 'self' about:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MESSAGE_PATH = /^\/messages\/(\d{1,15})$/;

function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': CONTENT_SECURITY_POLICY,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The inbox page of the local SMTP sink: GET / lists the mails, GET /messages/:id shows one,
 * GET /api/messages returns them all as JSON. Read-only; `messages` is asked on every request.
 */
export function createInbox(messages: () => readonly InboxMail[]): http.Server {
  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(req, res, 405, 'text/plain', 'Method Not Allowed\n', { allow: 'GET, HEAD' });
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/') return send(req, res, 200, 'text/html', renderInboxPage(messages()));
    if (path === '/api/messages') return send(req, res, 200, 'application/json', messagesJson(messages()));
    const id = MESSAGE_PATH.exec(path)?.[1];
    const mail = id === undefined ? undefined : messages().find((m) => m.id === Number(id));
    if (mail !== undefined) return send(req, res, 200, 'text/html', renderMessagePage(mail));
    send(req, res, 404, 'text/plain', 'Not Found\n');
  });
}

/** Listens and resolves with the inbox's base URL (with the real port when `port` was 0). */
export function listenInbox(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(`http://${host}:${typeof address === 'object' && address !== null ? address.port : port}`);
    });
  });
}

/** Closes the inbox at once: it serves only reads, so there is nothing to drain. */
export function closeInbox(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
