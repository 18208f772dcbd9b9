import type { UserQuery } from '../sdk.js';

/** Rows per page of the directory table. */
export const PAGE_SIZE = 20;

export const initialDirectoryQuery: UserQuery = { page: 1, size: PAGE_SIZE, deleted: false };

/** The filters a person sets: a new one starts again at page 1, since the old page may not exist. */
export type DirectoryFilters = Pick<UserQuery, 'q' | 'role' | 'status' | 'deleted'>;

export type DirectoryAction =
  { type: 'filter'; filters: DirectoryFilters } | { type: 'next'; total: number } | { type: 'previous' };

/** How many pages `total` rows fill (at least one, so "page 1 of 1" reads right when empty). */
export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The directory table's query: filters, and paging that never leaves 1..pageCount. */
export function directoryReducer(query: UserQuery, action: DirectoryAction): UserQuery {
  switch (action.type) {
    case 'filter': {
      const { q, role, status, deleted } = action.filters;
      const text = q?.trim();
      return {
        page: 1,
        size: query.size,
        q: text === '' ? undefined : text,
        role,
        status,
        deleted: deleted === true,
      };
    }
    case 'next':
      return query.page < pageCount(action.total, query.size) ? { ...query, page: query.page + 1 } : query;
    case 'previous':
      return query.page > 1 ? { ...query, page: query.page - 1 } : query;
  }
}
