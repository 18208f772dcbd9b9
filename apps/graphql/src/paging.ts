import { Errors } from '@platform/contracts';

/** The largest page a connection serves (as REST's `size`). */
export const MAX_PAGE_SIZE = 100;

/** `first` checked against the connection's bounds, as REST checks `size`. */
export function pageSize(first: number | null | undefined, fallback: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
    throw Errors.validation([{ path: 'first', message: `Between 1 and ${MAX_PAGE_SIZE}.` }]);
  return size;
}

const OFFSET_PREFIX = 'offset:';

/** An opaque cursor for a position in an offset-paged list (the directory is paged that way). */
export function offsetCursor(position: number): string {
  return Buffer.from(`${OFFSET_PREFIX}${position}`).toString('base64url');
}

/** Where the page after `cursor` starts; 0 without one; `validation_failed` for a foreign cursor. */
export function offsetAfter(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const position = Number(text.slice(OFFSET_PREFIX.length));
  if (!text.startsWith(OFFSET_PREFIX) || !Number.isSafeInteger(position) || position < 0)
    throw Errors.validation([{ path: 'after', message: 'Not a cursor from a previous page.' }]);
  return position + 1;
}
