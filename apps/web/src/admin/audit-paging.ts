/**
 * Keyset paging through the audit log: the API gives each page a cursor to the next older one, never
 * one back, so the pages seen are kept as a stack of the cursors that opened them (the newest page has
 * none). "Older" pushes the page's `nextCursor`; "newer" pops back to the page before.
 */
export interface AuditPaging {
  cursors: (string | undefined)[];
}

export const firstAuditPage: AuditPaging = { cursors: [undefined] };

/** The cursor that opens the page on screen (undefined for the newest). */
export function currentCursor(paging: AuditPaging): string | undefined {
  return paging.cursors.at(-1);
}

export function older(paging: AuditPaging, nextCursor: string | null): AuditPaging {
  return nextCursor === null ? paging : { cursors: [...paging.cursors, nextCursor] };
}

export function newer(paging: AuditPaging): AuditPaging {
  return paging.cursors.length > 1 ? { cursors: paging.cursors.slice(0, -1) } : paging;
}

export function hasNewer(paging: AuditPaging): boolean {
  return paging.cursors.length > 1;
}
