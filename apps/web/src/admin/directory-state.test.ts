import { describe, expect, it } from 'vitest';
import { directoryReducer, initialDirectoryQuery, pageCount } from './directory-state.js';

describe('the directory table’s paging state', () => {
  it('counts at least one page', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
  });

  it('moves between pages without leaving 1..pages', () => {
    const second = directoryReducer(initialDirectoryQuery, { type: 'next', total: 45 });
    expect(second.page).toBe(2);
    const third = directoryReducer(second, { type: 'next', total: 45 });
    expect(directoryReducer(third, { type: 'next', total: 45 }).page).toBe(3);
    expect(directoryReducer(initialDirectoryQuery, { type: 'previous' }).page).toBe(1);
    expect(directoryReducer(third, { type: 'previous' }).page).toBe(2);
  });

  it('starts again at page 1 when a filter changes, dropping empty search text', () => {
    const third = { ...initialDirectoryQuery, page: 3 };
    const filtered = directoryReducer(third, {
      type: 'filter',
      filters: { q: '  ', role: 'manager', deleted: true },
    });
    expect(filtered).toEqual({
      page: 1,
      size: 20,
      q: undefined,
      role: 'manager',
      status: undefined,
      deleted: true,
    });
  });
});
