import { escapeHtml } from '@platform/contracts';
import type { ReceivedMail } from '@platform/mail-sink';

/** A caught mail as the inbox shows it (a type-only import: the inbox never loads the SMTP server). */
export type InboxMail = ReceivedMail;

/** Newest first; ids break ties between mails of the same millisecond. */
export function newestFirst<T extends Pick<InboxMail, 'id' | 'receivedAt'>>(mails: readonly T[]): T[] {
  return [...mails].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id);
}

function timeOf(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 1rem; }
iframe { width: 100%; height: 32rem; border: 1px solid #ccc; }
.muted { color: #777; }`;

/** A whole page around `body`; every dynamic part of `body` must already be escaped. */
function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${head}
<style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** GET / : every caught mail, newest first, refreshing itself so new mail shows up. */
export function renderInboxPage(mails: readonly InboxMail[]): string {
  const rows = newestFirst(mails).map(
    (mail) => `<tr><td>${escapeHtml(timeOf(mail.receivedAt))}</td>
<td>${escapeHtml(mail.to.join(', '))}</td>
<td><a href="/messages/${escapeHtml(String(mail.id))}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`,
  );
  const table =
    rows.length === 0
      ? '<p class="muted">No mail yet. Mail sent by this run shows up here.</p>'
      : `<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
  const api = '<p class="muted">JSON: <a href="/api/messages">/api/messages</a></p>';
  return page(
    `Inbox (${mails.length})`,
    `<h1>Local inbox</h1>${table}${api}`,
    '<meta http-equiv="refresh" content="5">',
  );
}

/**
 * The HTML body inside a sandboxed frame: without `allow-scripts` or `allow-same-origin` nothing in a
 * mail can run script or reach this page. Links open in a new tab (`allow-popups` plus escaping the
 * sandbox there), so a verification link leads to the app as it would from a mail client.
 */
function htmlFrame(html: string): string {
  const doc = `<base target="_blank">${html}`;
  return `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML body" srcdoc="${escapeHtml(doc)}"></iframe>`;
}

/** GET /messages/:id : one mail with its envelope, text and HTML bodies and headers. */
export function renderMessagePage(mail: InboxMail): string {
  const fields: [string, string][] = [
    ['From (envelope)', mail.from],
    ['To (envelope)', mail.to.join(', ')],
    ['Subject', mail.subject],
    ['Received (UTC)', timeOf(mail.receivedAt)],
    ['Message-ID', mail.messageId ?? ''],
  ];
  const headers = Object.entries(mail.headers).map(
    ([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  const body = [
    '<p><a href="/">&larr; Inbox</a></p>',
    `<h1>${escapeHtml(mail.subject || '(no subject)')}</h1>`,
    `<table>${fields
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`)
      .join('')}</table>`,
    '<h2>HTML</h2>',
    mail.html === null ? '<p class="muted">No HTML part.</p>' : htmlFrame(mail.html),
    '<h2>Text</h2>',
    `<pre>${escapeHtml(mail.text)}</pre>`,
    '<h2>Headers</h2>',
    `<table>${headers.join('')}</table>`,
  ];
  return page(mail.subject || `Message ${mail.id}`, body.join('\n'));
}

/** The JSON of GET /api/messages: newest first, dates as ISO strings. */
export function messagesJson(mails: readonly InboxMail[]): string {
  return JSON.stringify(
    newestFirst(mails).map((mail) => ({ ...mail, receivedAt: mail.receivedAt.toISOString() })),
  );
}
