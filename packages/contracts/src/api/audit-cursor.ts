/** Where the previous page ended: the last entry's exact timestamp (as Postgres text) and id. */
export interface AuditCursor {
  at: string;
  id: string;
}

/** Microsecond ISO text, as `to_char(... 'US')` renders it: Postgres keeps more precision than a JS Date. */
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const ID = /^\d{1,19}$/;

/**
 * base64url without padding, by btoa/atob rather than Buffer: the contracts load in browsers too (the
 * client SDK). The cursor's text is ASCII (digits, `-:.TZ|`), which is all btoa needs.
 */
function toBase64Url(ascii: string): string {
  return btoa(ascii).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(raw: string): string {
  try {
    return atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return '';
  }
}

/** Opaque to clients: base64url of `at|id`. */
export function encodeCursor(cursor: AuditCursor): string {
  return toBase64Url(`${cursor.at}|${cursor.id}`);
}

/** The cursor, or undefined for anything this service did not hand out. */
export function decodeCursor(raw: string): AuditCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return undefined;
  const [at, id, ...rest] = fromBase64Url(raw).split('|');
  if (rest.length > 0 || !at || !id || !AT.test(at) || !ID.test(id)) return undefined;
  if (Number.isNaN(Date.parse(at)) || BigInt(id) > 9_223_372_036_854_775_807n) return undefined;
  return { at, id };
}
