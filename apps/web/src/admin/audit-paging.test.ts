import { describe, expect, it } from 'vitest';
import { currentCursor, firstAuditPage, hasNewer, newer, older } from './audit-paging.js';

describe('audit log keyset paging', () => {
  it('goes older by the page’s cursor and back newer by the ones it came through', () => {
    const second = older(firstAuditPage, 'c1');
    const third = older(second, 'c2');
    expect(currentCursor(third)).toBe('c2');
    expect(currentCursor(newer(third))).toBe('c1');
    expect(currentCursor(newer(newer(third)))).toBeUndefined();
    expect(hasNewer(firstAuditPage)).toBe(false);
    expect(hasNewer(second)).toBe(true);
  });

  it('stays on the oldest page when there is no next cursor, and on the newest when going newer', () => {
    expect(older(firstAuditPage, null)).toBe(firstAuditPage);
    expect(newer(firstAuditPage)).toBe(firstAuditPage);
  });
});
